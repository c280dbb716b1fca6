//! Image XObjects as stored: their parameters and their bytes with the general-purpose
//! filters (Flate, LZW, ASCII85, ASCIIHex, RunLength) undone. Decoding pixels (JPEG, JPEG 2000,
//! CCITT, JBIG2, bit depths, colour) is the OCR crate's job, not the PDF layer's.

use crate::document::{Document, Load};
use crate::error::{ObjectRef, PdfError, Result};
use crate::objects::{get, get_name, name_text, number, numbers, resolve};
use lopdf::{Dictionary, Object, Stream};

/// An image's colour space, reduced to what turning it into grey needs.
#[derive(Debug, Clone, PartialEq)]
pub enum ColorSpace {
    /// One component (`DeviceGray`, `CalGray`, a one-component `ICCBased`).
    Gray,
    /// Three (`DeviceRGB`, `CalRGB`, a three-component `ICCBased`).
    Rgb,
    /// Four (`DeviceCMYK`, a four-component `ICCBased`).
    Cmyk,
    /// A palette: `hival + 1` entries of the base space, packed in `lookup`.
    Indexed {
        base: Box<ColorSpace>,
        hival: u8,
        lookup: Vec<u8>,
    },
    /// Anything else (`Lab`, `Separation`, `DeviceN`, `Pattern`), by its family name.
    Other(String),
}

impl ColorSpace {
    /// Components per pixel, where the space says.
    pub fn components(&self) -> Option<usize> {
        match self {
            ColorSpace::Gray | ColorSpace::Indexed { .. } => Some(1),
            ColorSpace::Rgb => Some(3),
            ColorSpace::Cmyk => Some(4),
            ColorSpace::Other(_) => None,
        }
    }
}

/// The image filter left once the general-purpose ones are undone.
#[derive(Debug, Clone, PartialEq)]
pub enum ImageCodec {
    /// None: `data` holds the samples, rows padded to whole bytes.
    Raw,
    /// `DCTDecode` (JPEG); `color_transform` as `/DecodeParms /ColorTransform` says, if it does.
    Dct { color_transform: Option<i64> },
    /// `JPXDecode` (JPEG 2000): the codestream carries its own size and colour.
    Jpx,
    /// `CCITTFaxDecode` with its parameters (PDF 32000-1 table 11; defaults applied).
    Ccitt {
        k: i64,
        columns: u32,
        rows: Option<u32>,
        black_is_1: bool,
        encoded_byte_align: bool,
        end_of_block: bool,
    },
    /// `JBIG2Decode`, with the `/JBIG2Globals` stream's bytes when there is one.
    Jbig2 { globals: Option<Vec<u8>> },
    /// A filter the layer does not know, or a chain it cannot undo, by name.
    Unsupported(String),
}

/// One image XObject: parameters and bytes.
#[derive(Debug, Clone)]
pub struct ImageData {
    /// The image stream's object.
    pub object: ObjectRef,
    pub width: u32,
    pub height: u32,
    /// `/BitsPerComponent` (1 for a stencil mask; may be absent for JPX).
    pub bits: Option<u8>,
    /// `None` for a stencil mask, and for JPX without `/ColorSpace`.
    pub color_space: Option<ColorSpace>,
    /// `/ImageMask true`: a stencil painted in the fill colour (1-bit, 0 paints unless
    /// `/Decode [1 0]`).
    pub image_mask: bool,
    /// `/Decode`, when present.
    pub decode: Option<Vec<f64>>,
    /// The filter still to apply to `data`.
    pub codec: ImageCodec,
    /// The stream's bytes, general-purpose filters undone.
    pub data: Vec<u8>,
}

/// Filters lopdf undoes itself.
const GENERAL: [&[u8]; 5] = [
    b"FlateDecode",
    b"LZWDecode",
    b"ASCII85Decode",
    b"ASCIIHexDecode",
    b"RunLengthDecode",
];

impl Document {
    /// Reads image XObject `object` (as a [`crate::PlacedImage`] names it): its parameters,
    /// and its bytes with the general-purpose filters undone, within the document's limits.
    pub fn image(&self, object: ObjectRef) -> Result<ImageData> {
        let doc = &self.doc;
        let fail = |message: String| PdfError::Object {
            file: self.path.clone(),
            object,
            message,
        };
        if self.load == Load::Text {
            return Err(fail("opened without its images' bytes".into()));
        }
        let stream = doc
            .get_object(object)
            .and_then(Object::as_stream)
            .map_err(|e| fail(format!("not an image stream: {e}")))?;
        let dict = &stream.dict;
        if get_name(doc, dict, b"Subtype") != Some(b"Image") {
            return Err(fail("not an image XObject".into()));
        }
        let int = |key: &[u8]| get(doc, dict, key).and_then(number);
        let width = int(b"Width")
            .filter(|w| *w >= 1.0 && *w <= 1e5)
            .ok_or_else(|| fail("image without a usable /Width".into()))?
            as u32;
        let height = int(b"Height")
            .filter(|h| *h >= 1.0 && *h <= 1e5)
            .ok_or_else(|| fail("image without a usable /Height".into()))?
            as u32;
        let image_mask = matches!(get(doc, dict, b"ImageMask"), Some(Object::Boolean(true)));
        let bits = if image_mask {
            Some(1)
        } else {
            int(b"BitsPerComponent").map(|b| b as u8)
        };
        let color_space = if image_mask {
            None
        } else {
            get(doc, dict, b"ColorSpace").map(|cs| color_space(doc, cs, 0))
        };
        let decode = get(doc, dict, b"Decode").and_then(|d| numbers(doc, d));

        let filters: Vec<Vec<u8>> = match resolve(doc, dict.get(b"Filter").unwrap_or(&Object::Null))
        {
            Some(Object::Name(n)) => vec![n.clone()],
            Some(Object::Array(a)) => a
                .iter()
                .filter_map(|o| resolve(doc, o).and_then(|o| o.as_name().ok()))
                .map(<[u8]>::to_vec)
                .collect(),
            _ => Vec::new(),
        };
        let parms: Vec<Option<&Dictionary>> = match get(doc, dict, b"DecodeParms") {
            Some(Object::Array(a)) => a
                .iter()
                .map(|o| resolve(doc, o).and_then(|o| o.as_dict().ok()))
                .collect(),
            Some(Object::Dictionary(d)) => vec![Some(d); filters.len().max(1)],
            _ => vec![None; filters.len()],
        };
        let general = filters
            .iter()
            .take_while(|f| GENERAL.contains(&f.as_slice()))
            .count();
        let rest = &filters[general..];
        let (codec_name, codec_parms) = match rest {
            [] => (None, None),
            [one] => (Some(one.as_slice()), parms.get(general).copied().flatten()),
            _ => {
                let names: Vec<String> = rest.iter().map(|f| name_text(f)).collect();
                return Err(fail(format!(
                    "image filter chain /{} cannot be decoded",
                    names.join(" /")
                )));
            }
        };
        let p = |key: &[u8]| codec_parms.and_then(|d| get(doc, d, key));
        let p_int = |key: &[u8]| p(key).and_then(number);
        let p_bool = |key: &[u8], default: bool| match p(key) {
            Some(Object::Boolean(b)) => *b,
            _ => default,
        };
        let codec = match codec_name {
            None => ImageCodec::Raw,
            Some(b"DCTDecode") => ImageCodec::Dct {
                color_transform: p_int(b"ColorTransform").map(|v| v as i64),
            },
            Some(b"JPXDecode") => ImageCodec::Jpx,
            Some(b"CCITTFaxDecode") => ImageCodec::Ccitt {
                k: p_int(b"K").unwrap_or(0.0) as i64,
                columns: p_int(b"Columns").unwrap_or(1728.0) as u32,
                rows: p_int(b"Rows").map(|r| r as u32),
                black_is_1: p_bool(b"BlackIs1", false),
                encoded_byte_align: p_bool(b"EncodedByteAlign", false),
                end_of_block: p_bool(b"EndOfBlock", true),
            },
            Some(b"JBIG2Decode") => {
                let globals = match p(b"JBIG2Globals").and_then(|g| resolve(doc, g)) {
                    Some(Object::Stream(s)) => Some(self.plain(s, object)?),
                    _ => None,
                };
                ImageCodec::Jbig2 { globals }
            }
            Some(other) => ImageCodec::Unsupported(name_text(other)),
        };

        // Undo the general-purpose prefix only: a copy of the stream naming just those.
        let data = if general == 0 {
            stream.content.clone()
        } else {
            let mut prefix = Stream::new(stream.dict.clone(), stream.content.clone());
            let names = filters[..general]
                .iter()
                .map(|f| Object::Name(f.clone()))
                .collect();
            prefix.dict.set("Filter", Object::Array(names));
            let own: Vec<Object> = parms
                .iter()
                .take(general)
                .map(|d| d.map_or(Object::Null, |d| Object::Dictionary(d.clone())))
                .collect();
            prefix.dict.set("DecodeParms", Object::Array(own));
            self.plain(&prefix, object)?
        };
        Ok(ImageData {
            object,
            width,
            height,
            bits,
            color_space,
            image_mask,
            decode,
            codec,
            data,
        })
    }

    /// A stream's plain bytes within the per-stream and per-document byte limits.
    fn plain(&self, stream: &Stream, object: ObjectRef) -> Result<Vec<u8>> {
        let (allowed, limit) = self.budget.allowance(self.limits.max_stream_bytes);
        match stream.get_plain_content_with_limit(allowed) {
            Ok(bytes) => {
                self.budget.spend(bytes.len());
                Ok(bytes)
            }
            Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded {
                ..
            })) => Err(PdfError::ResourceLimit {
                file: self.path.clone(),
                limit,
                detail: format!(
                    "image {} {} R decompresses past {allowed} bytes",
                    object.0, object.1
                ),
            }),
            Err(e) => Err(PdfError::Object {
                file: self.path.clone(),
                object,
                message: format!("image data could not be decoded: {e}"),
            }),
        }
    }
}

/// A colour space object as [`ColorSpace`]; `depth` stops an Indexed that names itself.
fn color_space(doc: &lopdf::Document, obj: &Object, depth: u8) -> ColorSpace {
    let by_name = |n: &[u8]| match n {
        b"DeviceGray" | b"CalGray" | b"G" => ColorSpace::Gray,
        b"DeviceRGB" | b"CalRGB" | b"RGB" => ColorSpace::Rgb,
        b"DeviceCMYK" | b"CMYK" => ColorSpace::Cmyk,
        other => ColorSpace::Other(name_text(other)),
    };
    match resolve(doc, obj) {
        Some(Object::Name(n)) => by_name(n),
        Some(Object::Array(a)) if depth < 4 => {
            let family = a.first().and_then(|o| resolve(doc, o)?.as_name().ok());
            match family {
                Some(b"ICCBased") => {
                    let n = match a.get(1).and_then(|o| resolve(doc, o)) {
                        Some(Object::Stream(s)) => get(doc, &s.dict, b"N").and_then(number),
                        _ => None,
                    };
                    match n.map(|n| n as u32) {
                        Some(1) => ColorSpace::Gray,
                        Some(3) => ColorSpace::Rgb,
                        Some(4) => ColorSpace::Cmyk,
                        _ => ColorSpace::Other("ICCBased".into()),
                    }
                }
                Some(b"Indexed") | Some(b"I") => {
                    let base = a.get(1).map_or(ColorSpace::Other("Indexed".into()), |b| {
                        color_space(doc, b, depth + 1)
                    });
                    let hival = a
                        .get(2)
                        .and_then(|o| resolve(doc, o))
                        .and_then(number)
                        .unwrap_or(0.0)
                        .clamp(0.0, 255.0) as u8;
                    let lookup = match a.get(3).and_then(|o| resolve(doc, o)) {
                        Some(Object::String(s, _)) => s.clone(),
                        Some(Object::Stream(s)) => {
                            s.get_plain_content_with_limit(4096).unwrap_or_default()
                        }
                        _ => Vec::new(),
                    };
                    ColorSpace::Indexed {
                        base: Box::new(base),
                        hival,
                        lookup,
                    }
                }
                Some(other) => by_name(other),
                None => ColorSpace::Other("unnamed".into()),
            }
        }
        _ => ColorSpace::Other("unreadable".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testpdf::TestPdf;
    use lopdf::dictionary;

    /// A scanner's page: a Flate-compressed 1-bit image and a CCITT stencil, each placed by
    /// its `cm`; their boxes come back upright, their parameters as stored.
    #[test]
    fn painted_images_are_placed_and_read_back() {
        let mut pdf = TestPdf::new();
        // 16×2 one-bit pixels: rows 0xF0 0x0F, 0x00 0xFF.
        let mut flate = Stream::new(
            dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => 16, "Height" => 2,
            "BitsPerComponent" => 1, "ColorSpace" => "DeviceGray" },
            vec![0xF0, 0x0F, 0x00, 0xFF],
        );
        flate.compress().unwrap();
        let gray = pdf.add(flate);
        let fax = pdf.stream(
            dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => 8, "Height" => 8,
            "ImageMask" => true, "Filter" => "CCITTFaxDecode",
            "DecodeParms" => dictionary! { "K" => -1, "Columns" => 8, "BlackIs1" => true } },
            b"\x00\x10",
        );
        pdf.xobject("Im1", gray);
        pdf.xobject("Im2", fax);
        pdf.page(
            b"q 595 0 0 842 0 0 cm /Im1 Do Q q 100 0 0 50 10 20 cm /Im2 Do Q",
            0,
        );
        let bytes = pdf.build();
        let doc = Document::from_bytes(&bytes, "scan.pdf", crate::Limits::default()).unwrap();
        let page = doc.page(1).unwrap();
        assert_eq!(page.images.len(), 2);
        let whole = page.images[0].bbox;
        assert_eq!(
            (whole.x0, whole.y0, whole.x1, whole.y1),
            (0.0, 0.0, 595.0, 842.0)
        );
        // y = 20..70 up from the bottom is 772..822 down from the top.
        let small = page.images[1].bbox;
        assert_eq!(
            (small.x0, small.y0, small.x1, small.y1),
            (10.0, 772.0, 110.0, 822.0)
        );
        // Image row 0 lands at the top: the transform maps unit y = 1 to the top edge.
        assert_eq!(page.images[1].transform[5], 772.0 + 50.0);
        assert_eq!(page.images[1].transform[3], -50.0);

        let image = doc.image(page.images[0].object).unwrap();
        assert_eq!((image.width, image.height, image.bits), (16, 2, Some(1)));
        assert_eq!(image.color_space, Some(ColorSpace::Gray));
        assert_eq!(image.codec, ImageCodec::Raw);
        assert_eq!(image.data, vec![0xF0, 0x0F, 0x00, 0xFF]);

        let mask = doc.image(page.images[1].object).unwrap();
        assert!(mask.image_mask);
        assert_eq!(mask.color_space, None);
        assert_eq!(
            mask.codec,
            ImageCodec::Ccitt {
                k: -1,
                columns: 8,
                rows: None,
                black_is_1: true,
                encoded_byte_align: false,
                end_of_block: true
            }
        );
        assert_eq!(mask.data, b"\x00\x10");

        // A page's font is no image: the error names the object.
        let err = doc.image((999, 0)).unwrap_err().to_string();
        assert!(err.contains("scan.pdf: object 999 0 R"), "{err}");
    }
}
