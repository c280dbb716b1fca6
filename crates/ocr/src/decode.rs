//! An image XObject's bytes → 8-bit grey pixels (0 black, 255 white), row 0 on top.
//!
//! Supported: raw samples (1, 2, 4, 8 or 16 bits; grey, RGB, CMYK, Indexed; `/Decode`),
//! `DCTDecode` (JPEG, via `image`/zune-jpeg), `JPXDecode` (hayro-jpeg2000), `CCITTFaxDecode`
//! (Group 3 and 4, hayro-ccitt), `JBIG2Decode` (hayro-jbig2), stencil masks (`/ImageMask`).
//! Not supported, each a typed error naming the object: any other filter (`Crypt`, or two image
//! filters chained), colour spaces other than those (`Lab`, `Separation`, `DeviceN`) for raw
//! samples, and inline images (the PDF layer does not record them).

use cnbudget_pdf::{ColorSpace, ImageCodec, ImageData};

/// A decoded image: grey levels, and for a stencil mask which pixels it paints.
#[derive(Debug)]
pub(crate) struct Pixels {
    pub width: u32,
    pub height: u32,
    /// `width × height` grey levels, row-major.
    pub grey: Vec<u8>,
    /// A stencil mask paints only where `grey` is 0; elsewhere the page shows through.
    pub stencil: bool,
}

/// Decodes an image; `Err` says what is wrong or unsupported (the caller names the object).
pub(crate) fn decode(image: &ImageData) -> Result<Pixels, String> {
    let h = image.height;
    let mut pixels = match &image.codec {
        ImageCodec::Raw => raw(image)?,
        ImageCodec::Dct { .. } => {
            let decoded =
                image::load_from_memory_with_format(&image.data, image::ImageFormat::Jpeg)
                    .map_err(|e| format!("JPEG: {e}"))?;
            let grey = decoded.to_luma8();
            Pixels {
                width: grey.width(),
                height: grey.height(),
                grey: grey.into_raw(),
                stencil: false,
            }
        }
        ImageCodec::Jpx => jpx(&image.data)?,
        ImageCodec::Ccitt {
            k,
            columns,
            rows,
            black_is_1,
            encoded_byte_align,
            end_of_block,
        } => {
            let mut bits = ccitt(
                &image.data,
                *k,
                *columns,
                rows.unwrap_or(h),
                *encoded_byte_align,
                *end_of_block,
            )?;
            // hayro gives 1 = black; the filter's output has 0 = black unless /BlackIs1.
            if !*black_is_1 {
                bits.iter_mut().for_each(|b| *b = 1 - *b);
            }
            bits_to_pixels(image, bits, *columns, rows.unwrap_or(h))?
        }
        ImageCodec::Jbig2 { globals } => {
            // The filter's output has 0 = black, as pdf.js reads it.
            let black = jbig2(&image.data, globals.as_deref())?;
            let samples: Vec<u8> = black.0.iter().map(|b| 1 - *b).collect();
            bits_to_pixels(image, samples, black.1, black.2)?
        }
        ImageCodec::Unsupported(name) => {
            return Err(format!("image filter /{name} is not supported"));
        }
    };
    if pixels.width == 0 || pixels.height == 0 {
        return Err("image decodes to no pixels".into());
    }
    // Codecs carry their own size; a PDF whose /Width disagrees is read as the codec says.
    if pixels.grey.len() != (pixels.width * pixels.height) as usize {
        return Err(format!(
            "image decodes to {} samples, not {}×{}",
            pixels.grey.len(),
            pixels.width,
            pixels.height
        ));
    }
    pixels.stencil = image.image_mask;
    Ok(pixels)
}

/// One-bit samples (one byte each, 0 or 1, as stored) → grey, honouring `/ImageMask` and
/// `/Decode`: a stencil paints where the sample is 0 (1 with `/Decode [1 0]`).
fn bits_to_pixels(image: &ImageData, samples: Vec<u8>, w: u32, h: u32) -> Result<Pixels, String> {
    let need = (w as usize) * (h as usize);
    if samples.len() < need {
        return Err(format!(
            "bi-level image has {} of {need} pixels",
            samples.len()
        ));
    }
    let inverted = image
        .decode
        .as_deref()
        .is_some_and(|d| d.first() == Some(&1.0));
    let grey = samples[..need]
        .iter()
        // Sample 0 is black in DeviceGray and "paint" in a stencil mask.
        .map(|&s| if (s == 0) != inverted { 0 } else { 255 })
        .collect();
    Ok(Pixels {
        width: w,
        height: h,
        grey,
        stencil: image.image_mask,
    })
}

/// Raw samples, rows padded to whole bytes.
fn raw(image: &ImageData) -> Result<Pixels, String> {
    let (w, h) = (image.width as usize, image.height as usize);
    let bits = image.bits.unwrap_or(8) as usize;
    if !matches!(bits, 1 | 2 | 4 | 8 | 16) {
        return Err(format!("{bits} bits per component is not a valid depth"));
    }
    if image.image_mask {
        let samples = unpack(&image.data, w, h, 1, 1)?;
        return bits_to_pixels(image, samples, image.width, image.height);
    }
    let space = image
        .color_space
        .as_ref()
        .ok_or("image without a /ColorSpace")?;
    let n = space
        .components()
        .ok_or_else(|| format!("colour space {space:?} is not supported"))?;
    let samples = unpack(&image.data, w, h, n, bits)?;
    let max = ((1u32 << bits.min(8)) - 1) as f64;
    // /Decode maps [0, max] → [dmin, dmax] per component; only the first pair matters for
    // the inversions scanners write ([1 0]).
    let inverted = image
        .decode
        .as_deref()
        .is_some_and(|d| d.first() == Some(&1.0))
        && !matches!(space, ColorSpace::Indexed { .. });
    let level = |v: u8| -> f64 {
        let v = v as f64 / max;
        if inverted {
            1.0 - v
        } else {
            v
        }
    };
    let grey: Vec<u8> = match space {
        ColorSpace::Gray => samples.iter().map(|&v| to_byte(level(v))).collect(),
        ColorSpace::Rgb => samples
            .chunks_exact(3)
            .map(|c| to_byte(luma(level(c[0]), level(c[1]), level(c[2]))))
            .collect(),
        ColorSpace::Cmyk => samples
            .chunks_exact(4)
            .map(|c| {
                let k = level(c[3]);
                let rgb = [c[0], c[1], c[2]].map(|v| (1.0 - level(v)) * (1.0 - k));
                to_byte(luma(rgb[0], rgb[1], rgb[2]))
            })
            .collect(),
        ColorSpace::Indexed {
            base,
            hival,
            lookup,
        } => {
            let m = base
                .components()
                .filter(|m| *m != 1 || !matches!(**base, ColorSpace::Indexed { .. }))
                .ok_or("Indexed over an unsupported base")?;
            let palette: Vec<u8> = (0..=*hival as usize)
                .map(|i| {
                    let c = lookup.get(i * m..i * m + m).unwrap_or(&[0, 0, 0, 0][..m]);
                    let f = |v: u8| v as f64 / 255.0;
                    to_byte(match m {
                        1 => f(c[0]),
                        3 => luma(f(c[0]), f(c[1]), f(c[2])),
                        _ => {
                            let k = f(c[3]);
                            let rgb = [c[0], c[1], c[2]].map(|v| (1.0 - f(v)) * (1.0 - k));
                            luma(rgb[0], rgb[1], rgb[2])
                        }
                    })
                })
                .collect();
            samples
                .iter()
                .map(|&i| palette.get(i as usize).copied().unwrap_or(255))
                .collect()
        }
        ColorSpace::Other(name) => return Err(format!("colour space {name} is not supported")),
    };
    Ok(Pixels {
        width: image.width,
        height: image.height,
        grey,
        stencil: false,
    })
}

fn luma(r: f64, g: f64, b: f64) -> f64 {
    0.299 * r + 0.587 * g + 0.114 * b
}

fn to_byte(v: f64) -> u8 {
    (v * 255.0).round().clamp(0.0, 255.0) as u8
}

/// Packed samples → one byte per sample (16-bit samples keep their high byte).
fn unpack(data: &[u8], w: usize, h: usize, n: usize, bits: usize) -> Result<Vec<u8>, String> {
    let row_bytes = (w * n * bits).div_ceil(8);
    if data.len() < row_bytes * h {
        return Err(format!(
            "image data has {} bytes, {}×{} at {bits} bits × {n} needs {}",
            data.len(),
            w,
            h,
            row_bytes * h
        ));
    }
    let mut out = Vec::with_capacity(w * h * n);
    for row in data.chunks_exact(row_bytes).take(h) {
        match bits {
            8 => out.extend_from_slice(&row[..w * n]),
            16 => out.extend(row.chunks_exact(2).take(w * n).map(|p| p[0])),
            _ => {
                let per = 8 / bits;
                let mask = (1u8 << bits) - 1;
                out.extend((0..w * n).map(|i| {
                    let shift = 8 - bits * (i % per + 1);
                    (row[i / per] >> shift) & mask
                }));
            }
        }
    }
    Ok(out)
}

/// CCITT → one byte per pixel, 1 = black.
fn ccitt(
    data: &[u8],
    k: i64,
    columns: u32,
    rows: u32,
    byte_align: bool,
    end_of_block: bool,
) -> Result<Vec<u8>, String> {
    struct Sink {
        columns: u32,
        rows: Vec<u8>,
    }
    impl hayro_ccitt::Decoder for Sink {
        fn push_row(&mut self, changes: &[u32]) {
            let start = self.rows.len();
            self.rows.resize(start + self.columns as usize, 0);
            for pair in changes.chunks(2) {
                let from = pair[0].min(self.columns) as usize;
                let to = pair
                    .get(1)
                    .copied()
                    .unwrap_or(self.columns)
                    .min(self.columns) as usize;
                self.rows[start + from..start + to].fill(1);
            }
        }
    }
    let encoding = match k {
        k if k < 0 => hayro_ccitt::EncodingMode::Group4,
        0 => hayro_ccitt::EncodingMode::Group3_1D,
        _ => hayro_ccitt::EncodingMode::Group3_2D,
    };
    let settings = hayro_ccitt::DecodeSettings {
        columns,
        rows,
        end_of_block,
        end_of_line: false,
        rows_are_byte_aligned: byte_align,
        encoding,
        strict: false,
    };
    let mut ctx = hayro_ccitt::DecoderContext::new(settings);
    let mut sink = Sink {
        columns,
        rows: Vec::new(),
    };
    let result = hayro_ccitt::decode(data, &mut sink, &mut ctx);
    // Rows decoded before an error are kept (hayro's contract); a scan missing its last rows
    // still reads. Nothing at all is an error.
    let want = columns as usize * rows as usize;
    if sink.rows.is_empty() {
        return Err(format!("CCITT: {:?}", result.err()));
    }
    sink.rows.resize(want, 0);
    Ok(sink.rows)
}

/// JBIG2 (embedded stream) → (pixels 1 = black, width, height).
fn jbig2(data: &[u8], globals: Option<&[u8]>) -> Result<(Vec<u8>, u32, u32), String> {
    struct Sink {
        pixels: Vec<u8>,
    }
    impl hayro_jbig2::Decoder for Sink {
        fn push_pixel(&mut self, black: bool) {
            self.pixels.push(black as u8);
        }
        fn push_pixel_chunk(&mut self, black: bool, chunk_count: u32) {
            let n = self.pixels.len() + 8 * chunk_count as usize;
            self.pixels.resize(n, black as u8);
        }
        fn next_line(&mut self) {}
    }
    let settings = hayro_jbig2::DecodeSettings::default();
    let globals = globals
        .map(|g| hayro_jbig2::Globals::new(g, &settings))
        .transpose()
        .map_err(|e| format!("JBIG2 globals: {e:?}"))?;
    let page = hayro_jbig2::Page::new_embedded(data, globals.as_ref(), &settings)
        .map_err(|e| format!("JBIG2: {e:?}"))?;
    let (w, h) = (page.width(), page.height());
    let mut sink = Sink { pixels: Vec::new() };
    page.decode(&mut sink)
        .map_err(|e| format!("JBIG2: {e:?}"))?;
    Ok((sink.pixels, w, h))
}

/// JPEG 2000 → grey.
fn jpx(data: &[u8]) -> Result<Pixels, String> {
    let settings = hayro_jpeg2000::DecodeSettings::default();
    let image = hayro_jpeg2000::Image::new(data, &settings).map_err(|e| format!("JPX: {e:?}"))?;
    let (w, h) = (image.width(), image.height());
    let channels = image.color_space().num_channels() as usize + image.has_alpha() as usize;
    let cmyk = matches!(image.color_space(), hayro_jpeg2000::ColorSpace::CMYK);
    let mut ctx = hayro_jpeg2000::DecoderContext::default();
    let decoded = image.decode(&mut ctx).map_err(|e| format!("JPX: {e:?}"))?;
    let data = decoded.data_u8();
    if channels == 0 || data.len() < (w * h) as usize * channels {
        return Err("JPX: fewer samples than pixels".into());
    }
    let f = |v: u8| v as f64 / 255.0;
    let grey = data
        .chunks_exact(channels)
        .map(|c| match channels {
            1 | 2 => c[0],
            _ if cmyk && channels >= 4 => {
                let k = f(c[3]);
                let rgb = [c[0], c[1], c[2]].map(|v| (1.0 - f(v)) * (1.0 - k));
                to_byte(luma(rgb[0], rgb[1], rgb[2]))
            }
            _ => to_byte(luma(f(c[0]), f(c[1]), f(c[2]))),
        })
        .collect();
    Ok(Pixels {
        width: w,
        height: h,
        grey,
        stencil: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(
        codec: ImageCodec,
        w: u32,
        h: u32,
        bits: u8,
        cs: Option<ColorSpace>,
        data: Vec<u8>,
    ) -> ImageData {
        ImageData {
            object: (1, 0),
            width: w,
            height: h,
            bits: Some(bits),
            color_space: cs,
            image_mask: false,
            decode: None,
            codec,
            data,
        }
    }

    #[test]
    fn raw_one_bit_grey_and_rgb() {
        let one = image(
            ImageCodec::Raw,
            10,
            1,
            1,
            Some(ColorSpace::Gray),
            vec![0b1010_0000, 0b0100_0000],
        );
        let p = decode(&one).unwrap();
        assert_eq!(p.grey, vec![255, 0, 255, 0, 0, 0, 0, 0, 0, 255]);
        let rgb = image(
            ImageCodec::Raw,
            2,
            1,
            8,
            Some(ColorSpace::Rgb),
            vec![255, 255, 255, 255, 0, 0],
        );
        assert_eq!(decode(&rgb).unwrap().grey, vec![255, 76]);
        let short = image(
            ImageCodec::Raw,
            4,
            4,
            8,
            Some(ColorSpace::Gray),
            vec![0; 15],
        );
        assert!(decode(&short).unwrap_err().contains("15 bytes"));
        let lab = image(
            ImageCodec::Raw,
            1,
            1,
            8,
            Some(ColorSpace::Other("Lab".into())),
            vec![0],
        );
        assert!(decode(&lab).unwrap_err().contains("Lab"));
    }

    #[test]
    fn stencil_mask_paints_zeros_unless_decoded_inverted() {
        let mut mask = image(ImageCodec::Raw, 4, 1, 1, None, vec![0b0011_0000]);
        mask.image_mask = true;
        let p = decode(&mask).unwrap();
        assert!(p.stencil);
        assert_eq!(p.grey, vec![0, 0, 255, 255]);
        mask.decode = Some(vec![1.0, 0.0]);
        assert_eq!(decode(&mask).unwrap().grey, vec![255, 255, 0, 0]);
    }

    /// Group 4 of an 8×2 all-white image: one V0 code ("1") per row.
    #[test]
    fn ccitt_group4_all_white() {
        // Two all-white rows in G4 are two V0 codes each ("1"), then EOFB.
        let data = [0b1100_0000];
        let fax = image(
            ImageCodec::Ccitt {
                k: -1,
                columns: 8,
                rows: Some(2),
                black_is_1: false,
                encoded_byte_align: false,
                end_of_block: true,
            },
            8,
            2,
            1,
            Some(ColorSpace::Gray),
            data.to_vec(),
        );
        let p = decode(&fax).unwrap();
        assert_eq!(p.grey, vec![255; 16]);
    }

    #[test]
    fn jpeg_decodes_to_grey() {
        let mut img = image::GrayImage::new(16, 8);
        for (x, _, p) in img.enumerate_pixels_mut() {
            p.0[0] = if x < 8 { 0 } else { 255 };
        }
        let mut jpeg = Vec::new();
        image::DynamicImage::ImageLuma8(img)
            .write_to(
                &mut std::io::Cursor::new(&mut jpeg),
                image::ImageFormat::Jpeg,
            )
            .unwrap();
        let dct = image(
            ImageCodec::Dct {
                color_transform: None,
            },
            16,
            8,
            8,
            Some(ColorSpace::Gray),
            jpeg,
        );
        let p = decode(&dct).unwrap();
        assert_eq!((p.width, p.height), (16, 8));
        assert!(p.grey[2] < 30 && p.grey[13] > 225, "{:?}", &p.grey[..16]);
    }

    #[test]
    fn unsupported_filter_is_named() {
        let x = image(
            ImageCodec::Unsupported("Crypt".into()),
            1,
            1,
            8,
            Some(ColorSpace::Gray),
            vec![0],
        );
        assert_eq!(
            decode(&x).err().unwrap(),
            "image filter /Crypt is not supported"
        );
    }
}
