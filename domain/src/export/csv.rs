//! CSV as spreadsheets read it (RFC 4180), safe to open: a cell a spreadsheet would take for a
//! formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) is written with a
//! leading apostrophe, so a ticket subject like `=HYPERLINK(…)` stays text.

/// Appends one record (a line ending in CRLF) to `out`.
pub fn record<S: AsRef<str>>(out: &mut Vec<u8>, cells: &[S]) {
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        cell(out, c.as_ref());
    }
    out.extend_from_slice(b"\r\n");
}

fn cell(out: &mut Vec<u8>, value: &str) {
    let formula = value.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let quoted = formula || value.contains([',', '"', '\n', '\r']);
    if quoted {
        out.push(b'"');
    }
    if formula {
        out.push(b'\'');
    }
    for part in value.split_inclusive('"') {
        out.extend_from_slice(part.as_bytes());
        if part.ends_with('"') {
            out.push(b'"');
        }
    }
    if quoted {
        out.push(b'"');
    }
}

#[cfg(test)]
mod tests {
    use super::record;

    fn line(cells: &[&str]) -> String {
        let mut out = Vec::new();
        record(&mut out, cells);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn formulas_become_text() {
        assert_eq!(line(&["=1+2"]), "\"'=1+2\"\r\n");
        assert_eq!(line(&["+34 600 000 000"]), "\"'+34 600 000 000\"\r\n");
        assert_eq!(line(&["-2"]), "\"'-2\"\r\n");
        assert_eq!(line(&["@SUM(A1)"]), "\"'@SUM(A1)\"\r\n");
        assert_eq!(line(&["\tx"]), "\"'\tx\"\r\n");
        assert_eq!(line(&["=HYPERLINK(\"http://x\",\"y\")"]), "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"\r\n");
    }

    #[test]
    fn plain_quoting() {
        assert_eq!(line(&["a", "b c", "d,e", "say \"hi\"", "two\nlines", ""]), "a,b c,\"d,e\",\"say \"\"hi\"\"\",\"two\nlines\",\r\n");
        assert_eq!(line(&["a=b", "x-y", "ü"]), "a=b,x-y,ü\r\n");
    }
}
