//! Rewrites the file printpdf writes into the final PDF, without a general PDF parser.
//!
//! printpdf (built with `less-optimization`, so never compressing) writes a classic file:
//! `N 0 obj…endobj` objects, one cross-reference table, a trailer. This keeps every object
//! but three kinds: page content streams get single-byte text (`text_codes`) and are
//! deflated; the Info dictionary and the trailer `/ID` come from `Metadata`. Offsets are
//! recomputed. lopdf's reader would do the same generically but costs 10–250 ms a document.

use std::io::Write;

use flate2::write::ZlibEncoder;
use flate2::Compression;

use crate::metadata::Metadata;
use crate::text_codes::single_byte_text;

/// The final PDF bytes, or what in printpdf's output was not as expected.
pub(crate) fn finish(raw: &[u8], metadata: &Metadata) -> Result<Vec<u8>, String> {
    let xref_start = start_of_xref(raw)?;
    let (entries, trailer) = read_xref(raw, xref_start)?;
    let root = reference(trailer, b"/Root")?;
    let info = reference(trailer, b"/Info")?;

    let mut objects: Vec<(u32, &[u8])> = Vec::with_capacity(entries.len());
    let mut by_offset = entries.clone();
    by_offset.sort_by_key(|(_, offset)| *offset);
    for (index, (id, offset)) in by_offset.iter().enumerate() {
        let end = by_offset
            .get(index + 1)
            .map_or(xref_start, |(_, next)| *next);
        let bytes = raw.get(*offset..end).ok_or("object outside the file")?;
        objects.push((*id, bytes));
    }
    objects.sort_by_key(|(id, _)| *id);

    let size = entries.iter().map(|(id, _)| id + 1).max().unwrap_or(1);
    let mut offsets = vec![None; usize::try_from(size).map_err(|e| e.to_string())?];
    // The comment of high bytes tells transfer tools the file is binary.
    let mut out = b"%PDF-1.3\n%\xE2\xE3\xCF\xD3\n".to_vec();
    for (id, bytes) in objects {
        if let Some(slot) = usize::try_from(id).ok().and_then(|id| offsets.get_mut(id)) {
            *slot = Some(out.len());
        }
        if id == info {
            writeln!(out, "{id} 0 obj{}endobj", metadata.info_dictionary())
                .map_err(|e| e.to_string())?;
        } else if let Some(content) = content_stream(id, bytes) {
            let deflated = deflate(&single_byte_text(content))?;
            writeln!(
                out,
                "{id} 0 obj<</Length {}/Filter/FlateDecode>>stream",
                deflated.len()
            )
            .map_err(|e| e.to_string())?;
            out.extend_from_slice(&deflated);
            out.extend_from_slice(b"\nendstream\nendobj\n");
        } else {
            out.extend_from_slice(bytes);
        }
    }

    let xref_at = out.len();
    let mut xref = format!("xref\n0 {size}\n0000000000 65535 f \n");
    for offset in offsets.iter().skip(1) {
        match offset {
            Some(offset) => xref.push_str(&format!("{offset:010} 00000 n \n")),
            None => xref.push_str("0000000000 65535 f \n"),
        }
    }
    let id = metadata.file_id();
    xref.push_str(&format!(
        "trailer\n<</Size {size}/Root {root} 0 R/Info {info} 0 R/ID[<{id}><{id}>]>>\n\
         startxref\n{xref_at}\n%%EOF\n"
    ));
    out.extend_from_slice(xref.as_bytes());
    Ok(out)
}

/// The offset after the last `startxref`.
fn start_of_xref(raw: &[u8]) -> Result<usize, String> {
    let marker = b"startxref\n";
    let at = raw
        .windows(marker.len())
        .rposition(|window| window == marker)
        .ok_or("no startxref")?;
    let digits = leading_digits(&raw[at + marker.len()..]);
    parse(digits)
}

/// An object in use: number and byte offset.
type Entry = (u32, usize);

/// `(id, offset)` of every object in use, and the trailer dictionary's bytes.
fn read_xref(raw: &[u8], start: usize) -> Result<(Vec<Entry>, &[u8]), String> {
    let table = raw
        .get(start..)
        .and_then(|rest| rest.strip_prefix(b"xref\n0 "))
        .ok_or("no xref table")?;
    let count_digits = leading_digits(table);
    let count: usize = parse(count_digits)?;
    let mut rest = table
        .get(count_digits.len() + 1..)
        .ok_or("truncated xref")?;
    let mut entries = Vec::with_capacity(count);
    for id in 0..count {
        // `oooooooooo ggggg n \n`: 20 bytes each.
        let entry = rest.get(..20).ok_or("truncated xref")?;
        if entry.get(17) == Some(&b'n') {
            let id = u32::try_from(id).map_err(|e| e.to_string())?;
            entries.push((id, parse(&entry[..10])?));
        }
        rest = &rest[20..];
    }
    let trailer = rest.strip_prefix(b"trailer\n").ok_or("no trailer")?;
    Ok((entries, trailer))
}

/// The object number `key` refers to in `dictionary` (`/Root 35 0 R` → 35).
fn reference(dictionary: &[u8], key: &[u8]) -> Result<u32, String> {
    let at = dictionary
        .windows(key.len())
        .position(|window| window == key)
        .ok_or_else(|| format!("no {} in trailer", String::from_utf8_lossy(key)))?;
    let rest = dictionary[at + key.len()..].trim_ascii_start();
    parse(leading_digits(rest))
}

/// The data of a page content stream (`N 0 obj<</Length L>>stream\n…endstream`), if `bytes`
/// is one; any stream with other entries (a filter, a type…) is not.
fn content_stream(id: u32, bytes: &[u8]) -> Option<&[u8]> {
    let prefix = format!("{id} 0 obj<</Length ");
    let rest = bytes.strip_prefix(prefix.as_bytes())?;
    let digits = leading_digits(rest);
    let length: usize = parse(digits).ok()?;
    let data = rest[digits.len()..].strip_prefix(b">>stream\n")?;
    let (content, after) = (data.get(..length)?, data.get(length..)?);
    after.starts_with(b"endstream").then_some(content)
}

fn leading_digits(bytes: &[u8]) -> &[u8] {
    let end = bytes
        .iter()
        .position(|byte| !byte.is_ascii_digit())
        .unwrap_or(bytes.len());
    &bytes[..end]
}

fn parse<T: std::str::FromStr>(digits: &[u8]) -> Result<T, String> {
    std::str::from_utf8(digits)
        .ok()
        .and_then(|text| text.parse().ok())
        .ok_or_else(|| format!("not a number: {}", String::from_utf8_lossy(digits)))
}

fn deflate(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut encoder = ZlibEncoder::new(Vec::with_capacity(bytes.len() / 3), Compression::default());
    encoder.write_all(bytes).map_err(|e| e.to_string())?;
    encoder.finish().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    /// A file shaped like printpdf's: objects, xref table, trailer.
    fn raw() -> Vec<u8> {
        let objects: [&[u8]; 3] = [
            b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n",
            b"2 0 obj<</Length 15>>stream\n[<00E9>] TJ\nET\nendstream endobj\n",
            b"3 0 obj<</Title()>>endobj\n",
        ];
        let mut raw = b"%PDF-1.3\n".to_vec();
        let mut xref = String::from("xref\n0 4\n0000000000 65535 f \n");
        for object in objects {
            xref.push_str(&format!("{:010} 00000 n \n", raw.len()));
            raw.extend_from_slice(object);
        }
        let xref_at = raw.len();
        raw.extend_from_slice(xref.as_bytes());
        raw.extend_from_slice(
            format!(
                "trailer\n<</Root 1 0 R/Info 3 0 R/ID[(x)(y)]/Size 4>>\nstartxref\n{xref_at}\n%%EOF"
            )
            .as_bytes(),
        );
        raw
    }

    fn metadata() -> Metadata {
        Metadata {
            title: "T".to_owned(),
            date: date!(2026 - 01 - 05),
            fingerprint: String::new(),
        }
    }

    #[test]
    fn finished_file_has_fixed_text_new_info_and_consistent_offsets() -> Result<(), String> {
        let pdf = finish(&raw(), &metadata())?;
        let xref_start = start_of_xref(&pdf)?;
        let (entries, trailer) = read_xref(&pdf, xref_start)?;
        assert_eq!(entries.len(), 3);
        for (id, offset) in entries {
            assert!(pdf[offset..].starts_with(format!("{id} 0 obj").as_bytes()));
        }
        assert!(trailer.starts_with(b"<</Size 4/Root 1 0 R/Info 3 0 R/ID[<"));
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("3 0 obj<</Title<FEFF0054>"));
        assert!(text.contains("2 0 obj<</Length "));
        assert!(text.contains("/Filter/FlateDecode>>stream\n"));
        Ok(())
    }

    #[test]
    fn unchanged_objects_are_copied_byte_for_byte() -> Result<(), String> {
        let pdf = finish(&raw(), &metadata())?;
        let catalog: &[u8] = b"\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n";
        assert!(pdf.windows(catalog.len()).any(|window| window == catalog));
        Ok(())
    }

    #[test]
    fn content_streams_are_recognised_by_their_bare_length() {
        let stream = b"2 0 obj<</Length 3>>stream\nabcendstream endobj\n";
        assert_eq!(content_stream(2, stream), Some(&b"abc"[..]));
        let filtered = b"2 0 obj<</Length 3/Filter/FlateDecode>>stream\nabcendstream";
        assert_eq!(content_stream(2, filtered), None);
    }

    #[test]
    fn a_file_without_xref_is_an_error_not_a_panic() {
        assert!(finish(b"%PDF-1.3\ngarbage", &metadata()).is_err());
    }
}
