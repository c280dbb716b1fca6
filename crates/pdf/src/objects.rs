//! Small, total accessors over lopdf objects: a wrong type or a dangling reference is `None`.

use lopdf::{Dictionary, Document, Object};

/// Follows references (bounded, so a reference loop ends) to the object itself.
pub(crate) fn resolve<'a>(doc: &'a Document, mut obj: &'a Object) -> Option<&'a Object> {
    for _ in 0..32 {
        match obj {
            Object::Reference(id) => obj = doc.get_object(*id).ok()?,
            _ => return Some(obj),
        }
    }
    None
}

/// The resolved value of `key` in `dict`.
pub(crate) fn get<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    resolve(doc, dict.get(key).ok()?)
}

/// The resolved dictionary under `key` (a stream's dictionary counts).
pub(crate) fn get_dict<'a>(
    doc: &'a Document,
    dict: &'a Dictionary,
    key: &[u8],
) -> Option<&'a Dictionary> {
    as_dict(get(doc, dict, key)?)
}

/// An object as a dictionary, looking through streams.
pub(crate) fn as_dict(obj: &Object) -> Option<&Dictionary> {
    match obj {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

/// The resolved name under `key`.
pub(crate) fn get_name<'a>(
    doc: &'a Document,
    dict: &'a Dictionary,
    key: &[u8],
) -> Option<&'a [u8]> {
    match get(doc, dict, key)? {
        Object::Name(n) => Some(n),
        _ => None,
    }
}

/// The resolved number under `key`.
pub(crate) fn get_number(doc: &Document, dict: &Dictionary, key: &[u8]) -> Option<f64> {
    number(get(doc, dict, key)?)
}

/// An integer or real as `f64`; non-finite values are refused.
pub(crate) fn number(obj: &Object) -> Option<f64> {
    let v = match obj {
        Object::Integer(i) => *i as f64,
        Object::Real(r) => *r as f64,
        _ => return None,
    };
    v.is_finite().then_some(v)
}

/// A resolved array of numbers; any non-number makes it `None`.
pub(crate) fn numbers(doc: &Document, obj: &Object) -> Option<Vec<f64>> {
    match resolve(doc, obj)? {
        Object::Array(items) => items
            .iter()
            .map(|o| resolve(doc, o).and_then(number))
            .collect(),
        _ => None,
    }
}

/// A name's text: UTF-8 when it is, else GB 18030 (Chinese producers write raw GBK names).
pub(crate) fn name_text(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::GB18030
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

/// A stream's decoded bytes, refusing more than `limit` bytes of output.
pub(crate) fn stream_bytes(
    doc: &Document,
    obj: &Object,
    limit: usize,
) -> Option<Result<Vec<u8>, lopdf::Error>> {
    match resolve(doc, obj)? {
        Object::Stream(s) => Some(s.get_plain_content_with_limit(limit)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_font_names_decode() {
        // "宋体" in GBK, as Word writes it into /BaseFont.
        assert_eq!(name_text(&[0xCB, 0xCE, 0xCC, 0xE5]), "宋体");
        assert_eq!(name_text(b"ABCDEE+SimSun"), "ABCDEE+SimSun");
    }
}
