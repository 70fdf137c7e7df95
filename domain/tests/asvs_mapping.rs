//! docs/security.md maps every OWASP ASVS 5.0 level 1 and 2 requirement to the tests that show
//! it, a document, a reason it does not apply, or an open gap. This check keeps the map honest:
//! every requirement once, with its level; every named test exists; every named heading exists;
//! and with CUSTODIA_ASVS_STRICT=1 (`make asvs`) no requirement in scope may be without a test.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

struct Row {
    level: String,
    status: String,
    how: String,
    evidence: Vec<String>,
}

fn rows(doc: &str) -> (BTreeMap<String, Row>, Vec<String>) {
    let mut found = BTreeMap::new();
    let mut problems = Vec::new();
    for line in doc.lines() {
        let cells: Vec<&str> = line.trim().trim_matches('|').split(" | ").map(str::trim).collect();
        let is_id = cells.first().is_some_and(|c| c.split('.').count() == 3 && c.split('.').all(|p| p.parse::<u32>().is_ok()));
        if !is_id {
            continue;
        }
        if cells.len() != 5 {
            problems.push(format!("{}: expected 5 cells (id, level, status, how, evidence), found {}", cells[0], cells.len()));
            continue;
        }
        let evidence = cells[4].split("; ").map(str::trim).filter(|e| !e.is_empty()).map(String::from).collect();
        let row = Row { level: cells[1].into(), status: cells[2].into(), how: cells[3].into(), evidence };
        if found.insert(cells[0].to_string(), row).is_some() {
            problems.push(format!("{} is listed twice", cells[0]));
        }
    }
    (found, problems)
}

/// GitHub's anchor for a heading: lower case, punctuation dropped, spaces as dashes.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

fn evidence_exists(reference: &str) -> Result<(), String> {
    if let Some((path, name)) = reference.split_once("::") {
        let text = std::fs::read_to_string(root().join(path)).map_err(|_| format!("{path} does not exist"))?;
        let found = if path.ends_with(".rs") {
            text.contains(&format!("fn {name}("))
        } else {
            text.contains(&format!("test('{name}'")) || text.contains(&format!("test(\"{name}\""))
        };
        return if found { Ok(()) } else { Err(format!("no test {name:?} in {path}")) };
    }
    if let Some((path, wanted)) = reference.split_once('#') {
        let text = std::fs::read_to_string(root().join(path)).map_err(|_| format!("{path} does not exist"))?;
        let found = text.lines().filter_map(|l| l.strip_prefix('#')).any(|h| anchor(h.trim_start_matches('#')) == wanted);
        return if found { Ok(()) } else { Err(format!("no heading #{wanted} in {path}")) };
    }
    Err(format!("{reference:?} is neither path::test nor path#heading"))
}

#[test]
fn every_asvs_requirement_is_mapped_and_every_claim_names_real_evidence() {
    let list = read("docs/asvs-5.0-l1-l2.txt");
    let (mapped, mut problems) = rows(&read("docs/security.md"));
    let mut gaps = Vec::new();
    let mut expected = 0;
    for line in list.lines().filter(|l| !l.trim().is_empty()) {
        expected += 1;
        let (id, level) = line.split_once(' ').expect("id and level");
        let Some(row) = mapped.get(id) else {
            problems.push(format!("{id} ({level}) is not in docs/security.md"));
            continue;
        };
        if format!("L{}", row.level) != level {
            problems.push(format!("{id}: level {} in the document, {level} in ASVS", row.level));
        }
        if row.how.is_empty() {
            problems.push(format!("{id}: says nothing about how (or why not)"));
        }
        match row.status.as_str() {
            "tested" | "documented" => {
                if row.evidence.is_empty() {
                    problems.push(format!("{id} is {} but names no evidence", row.status));
                }
                for e in &row.evidence {
                    if row.status == "tested" && !e.contains("::") {
                        problems.push(format!("{id} is tested but {e:?} is not a test"));
                    }
                    if let Err(why) = evidence_exists(e) {
                        problems.push(format!("{id}: {why}"));
                    }
                }
            }
            "n/a" => {
                if !row.evidence.is_empty() {
                    problems.push(format!("{id} is n/a but names evidence"));
                }
            }
            "gap" => gaps.push(format!("{id} ({level}): {}", row.how)),
            other => problems.push(format!("{id}: unknown status {other:?}")),
        }
    }
    let listed: Vec<&String> = mapped.keys().filter(|id| !list.lines().any(|l| l.split(' ').next() == Some(id.as_str()))).collect();
    for id in listed {
        problems.push(format!("{id} is in the document but not a level 1 or 2 requirement of ASVS 5.0"));
    }
    assert_eq!(expected, 253, "the requirement list is ASVS 5.0's 253 level 1 and 2 requirements");
    assert!(problems.is_empty(), "docs/security.md:\n{}", problems.join("\n"));
    eprintln!("{} requirements mapped; {} gaps:\n  {}", mapped.len(), gaps.len(), gaps.join("\n  "));
    if std::env::var("CUSTODIA_ASVS_STRICT").as_deref() == Ok("1") {
        assert!(gaps.is_empty(), "{} requirements in scope have no test yet:\n{}", gaps.len(), gaps.join("\n"));
    }
}
