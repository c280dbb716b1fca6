//! The committed sample corpus is exactly what the generator writes from its seed.

use std::path::Path;

#[test]
fn committed_corpus_regenerates_byte_identically() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let documents = (0..8)
        .map(|index| cnbudget_synth::generate(2026, index))
        .chain([cnbudget_synth::shaoxing_2021()]);
    for g in documents {
        let pdf = std::fs::read(dir.join(format!("{}.pdf", g.stem))).expect("committed PDF");
        assert!(
            pdf == g.pdf,
            "{}.pdf differs from the generator's output: run scripts/make-corpus",
            g.stem
        );
        let truth: cnbudget_synth::Truth = serde_json::from_slice(
            &std::fs::read(dir.join(format!("{}.truth.json", g.stem))).unwrap(),
        )
        .unwrap();
        assert_eq!(truth, g.truth);
    }
}
