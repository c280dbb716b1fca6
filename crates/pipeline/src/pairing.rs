//! Narrative ↔ tables pairing: some departments (Jiangsu's among them) publish the narrative
//! and the tables of one budget as two files; the narrative's figures are checked against
//! the tables of the other file.

use cnbudget_normalize::DocumentRecords;
use std::path::Path;

/// For a document without tables at `path`: the index in `others` of the document holding
/// the same department's tables for the same year — the only one in the same folder, else
/// the only one anywhere; none where that is not one document.
pub fn narrative_partner<'a>(
    path: &Path,
    doc: &DocumentRecords,
    others: impl IntoIterator<Item = (&'a Path, &'a DocumentRecords)>,
) -> Option<usize> {
    if !doc.tables.is_empty() {
        return None;
    }
    let key = (doc.department.as_ref()?.key.as_str(), doc.fiscal_year?);
    let candidates: Vec<(usize, &Path)> = others
        .into_iter()
        .enumerate()
        .filter(|(_, (_, r))| {
            !r.tables.is_empty()
                && r.fiscal_year == Some(key.1)
                && r.department.as_ref().is_some_and(|d| d.key == key.0)
        })
        .map(|(i, (p, _))| (i, p))
        .collect();
    let near: Vec<usize> = candidates
        .iter()
        .filter(|(_, p)| p.parent() == path.parent())
        .map(|(i, _)| *i)
        .collect();
    match (near.as_slice(), candidates.as_slice()) {
        ([one], _) => Some(*one),
        (_, [(one, _)]) => Some(*one),
        _ => None,
    }
}
