//! Predefined CJK CMaps used without `/ToUnicode`: the code bytes are themselves Unicode
//! (`Uni*-UCS2/UTF16/UTF32`) or a legacy national encoding decoded with encoding_rs.

use encoding_rs::{Encoding, BIG5, EUC_KR, GB18030, SHIFT_JIS};

/// How a predefined CMap's codes are split and read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Predefined {
    /// Two-byte UCS-2 codes (`UniGB-UCS2-H`, `UniCNS-UCS2-H`, …).
    Ucs2,
    /// UTF-16BE codes, two or four bytes (`UniGB-UTF16-H`, …).
    Utf16,
    /// Four-byte UTF-32BE codes.
    Utf32,
    /// One byte below 0x81, else two bytes, or four for GB 18030 (`GBK-EUC-H`, `GBK2K-H`, …).
    Gb,
    /// One byte below 0x81, else two bytes, read as Big5-HKSCS (`ETen-B5-H`, `HKscs-B5-H`, …).
    Big5,
    /// Shift-JIS (`90ms-RKSJ-H`, …).
    ShiftJis,
    /// EUC-KR / UHC (`KSC-EUC-H`, `KSCms-UHC-H`, …).
    Korean,
}

impl Predefined {
    /// The predefined CMap a `/Encoding` name stands for; `None` for names this layer does not know.
    pub(crate) fn from_name(name: &str) -> Option<Predefined> {
        let stem = name.trim_end_matches("-H").trim_end_matches("-V");
        if stem.starts_with("Uni") {
            return if stem.contains("UCS2") {
                Some(Predefined::Ucs2)
            } else if stem.contains("UTF16") {
                Some(Predefined::Utf16)
            } else if stem.contains("UTF32") {
                Some(Predefined::Utf32)
            } else {
                None
            };
        }
        match stem {
            "GB-EUC" | "GBpc-EUC" | "GBK-EUC" | "GBKp-EUC" | "GBK2K" | "GBT-EUC" | "GBTpc-EUC" => {
                Some(Predefined::Gb)
            }
            "B5pc" | "ETen-B5" | "ETenms-B5" | "HKscs-B5" | "HKdla-B5" | "HKdlb-B5"
            | "HKgccs-B5" | "HKm314-B5" | "HKm471-B5" | "B5" => Some(Predefined::Big5),
            "90ms-RKSJ" | "90msp-RKSJ" | "83pv-RKSJ" | "90pv-RKSJ" | "78ms-RKSJ" | "Add-RKSJ"
            | "Ext-RKSJ" => Some(Predefined::ShiftJis),
            "KSC-EUC" | "KSCms-UHC" | "KSCms-UHC-HW" | "KSCpc-EUC" => Some(Predefined::Korean),
            _ => None,
        }
    }

    /// Length of the code at the start of `bytes`.
    pub(crate) fn code_len(self, bytes: &[u8]) -> usize {
        let b0 = bytes.first().copied().unwrap_or(0);
        let len = match self {
            Predefined::Ucs2 => 2,
            Predefined::Utf16 => {
                if (0xD8..=0xDB).contains(&b0) {
                    4
                } else {
                    2
                }
            }
            Predefined::Utf32 => 4,
            Predefined::Gb => match bytes.get(1) {
                _ if b0 <= 0x80 => 1,
                Some(b1) if (0x30..=0x39).contains(b1) => 4,
                _ => 2,
            },
            Predefined::Big5 | Predefined::Korean => {
                if b0 <= 0x80 {
                    1
                } else {
                    2
                }
            }
            Predefined::ShiftJis => {
                if (0x81..=0x9F).contains(&b0) || (0xE0..=0xFC).contains(&b0) {
                    2
                } else {
                    1
                }
            }
        };
        len.min(bytes.len()).max(1)
    }

    /// The text of one code, or `None` when it is not valid in this encoding.
    pub(crate) fn decode(self, code: &[u8]) -> Option<String> {
        let legacy = |enc: &'static Encoding| {
            enc.decode_without_bom_handling_and_without_replacement(code)
                .map(|c| c.into_owned())
        };
        let text = match self {
            Predefined::Ucs2 | Predefined::Utf16 => {
                let units: Vec<u16> = code
                    .chunks_exact(2)
                    .map(|c| u16::from_be_bytes([c[0], c[1]]))
                    .collect();
                char::decode_utf16(units)
                    .collect::<Result<String, _>>()
                    .ok()
            }
            Predefined::Utf32 => {
                let v = code.try_into().ok().map(u32::from_be_bytes)?;
                char::from_u32(v).map(String::from)
            }
            Predefined::Gb => legacy(GB18030),
            Predefined::Big5 => legacy(BIG5),
            Predefined::ShiftJis => legacy(SHIFT_JIS),
            Predefined::Korean => legacy(EUC_KR),
        }?;
        (!text.is_empty() && !text.chars().any(|c| c.is_control() && c != ' ')).then_some(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_all(p: Predefined, mut bytes: &[u8]) -> String {
        let mut out = String::new();
        while !bytes.is_empty() {
            let n = p.code_len(bytes);
            out.push_str(&p.decode(&bytes[..n]).unwrap_or_else(|| "\u{FFFD}".into()));
            bytes = &bytes[n..];
        }
        out
    }

    #[test]
    fn names_resolve_to_families() {
        assert_eq!(
            Predefined::from_name("UniGB-UCS2-H"),
            Some(Predefined::Ucs2)
        );
        assert_eq!(
            Predefined::from_name("UniGB-UTF16-V"),
            Some(Predefined::Utf16)
        );
        assert_eq!(
            Predefined::from_name("UniCNS-UCS2-H"),
            Some(Predefined::Ucs2)
        );
        assert_eq!(Predefined::from_name("GBK-EUC-H"), Some(Predefined::Gb));
        assert_eq!(Predefined::from_name("GBpc-EUC-H"), Some(Predefined::Gb));
        assert_eq!(Predefined::from_name("GB-EUC-H"), Some(Predefined::Gb));
        assert_eq!(Predefined::from_name("GBK2K-H"), Some(Predefined::Gb));
        assert_eq!(Predefined::from_name("ETen-B5-H"), Some(Predefined::Big5));
        assert_eq!(Predefined::from_name("HKscs-B5-H"), Some(Predefined::Big5));
        assert_eq!(Predefined::from_name("Identity-H"), None);
    }

    #[test]
    fn gbk_and_gb18030_codes() {
        // 一般公共预算 in GBK, then "12.5", then U+20000 as a GB 18030 four-byte code.
        let mut bytes = vec![
            0xD2, 0xBB, 0xB0, 0xE3, 0xB9, 0xAB, 0xB9, 0xB2, 0xD4, 0xA4, 0xCB, 0xE3,
        ];
        bytes.extend_from_slice(b"12.5");
        bytes.extend_from_slice(&[0x95, 0x32, 0x82, 0x36]);
        assert_eq!(
            decode_all(Predefined::Gb, &bytes),
            "一般公共预算12.5\u{20000}"
        );
    }

    #[test]
    fn big5_and_utf16_codes() {
        assert_eq!(
            decode_all(Predefined::Big5, &[0xB9, 0x77, 0xBA, 0xE2]),
            "預算"
        );
        assert_eq!(
            decode_all(Predefined::Utf16, &[0x4E, 0x00, 0xD8, 0x40, 0xDC, 0x00]),
            "一\u{20000}"
        );
        assert_eq!(
            decode_all(Predefined::Ucs2, &[0x00, 0x31, 0x00, 0x2C]),
            "1,"
        );
    }

    #[test]
    fn invalid_codes_decode_to_none() {
        assert_eq!(Predefined::Gb.decode(&[0xFF, 0xFF]), None);
        assert_eq!(Predefined::Utf16.decode(&[0xDC, 0x00]), None);
        assert_eq!(
            Predefined::Ucs2.decode(&[0x00, 0x07]),
            None,
            "control codes are no text"
        );
    }
}
