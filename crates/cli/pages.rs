//! Page selections such as `1-3,7`.

use anyhow::{bail, Result};

/// Parses a page selection against a document of `count` pages; pages keep the order given.
pub fn parse(spec: &str, count: u32) -> Result<Vec<u32>> {
    let mut pages = Vec::new();
    for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (a, b) = match part.split_once('-') {
            Some((a, b)) => (
                a.trim().parse::<u32>()?,
                if b.trim().is_empty() {
                    count
                } else {
                    b.trim().parse::<u32>()?
                },
            ),
            None => {
                let n = part.parse::<u32>()?;
                (n, n)
            }
        };
        if a == 0 || b < a || b > count {
            bail!("pages {part} are not within 1-{count}");
        }
        pages.extend(a..=b);
    }
    if pages.is_empty() {
        bail!("no pages selected");
    }
    Ok(pages)
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn ranges_and_singles() {
        assert_eq!(parse("1-3,7", 10).unwrap(), vec![1, 2, 3, 7]);
        assert_eq!(parse("9-", 10).unwrap(), vec![9, 10]);
        assert!(parse("0", 10).is_err());
        assert!(parse("5-11", 10).is_err());
        assert!(parse("x", 10).is_err());
    }
}
