//! A parser for the Gherkin subset OSRM's feature files use: Feature, Background, Scenario,
//! Scenario Outline with Examples, tags, `#` comments, doc strings and data tables.

use crate::error::{Error, Result};

/// The argument a step carries on the lines after it.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum StepArg {
    /// No argument.
    #[default]
    None,
    /// A `"""` doc string, de-indented to the column of its opening quotes.
    DocString(String),
    /// A data table, one vector of trimmed cells per row (header first).
    Table(Vec<Vec<String>>),
}

/// One step: its keyword (`Given`, `When`, `Then`, `And`, `But`, `*`) and text.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// The keyword as written.
    pub keyword: String,
    /// The text after the keyword.
    pub text: String,
    /// The doc string or table below it.
    pub arg: StepArg,
    /// 1-based line number in the feature file.
    pub line: usize,
}

/// A runnable scenario (outlines are expanded, one per Examples row).
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    /// The scenario's name (for outlines, with the example row appended).
    pub name: String,
    /// Tags of the feature and the scenario (and of the Examples block), without `@`.
    pub tags: Vec<String>,
    /// Steps, the Background's first.
    pub steps: Vec<Step>,
    /// 1-based line of the `Scenario:` keyword (or of the example row).
    pub line: usize,
}

/// A parsed feature file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Feature {
    /// The feature's name.
    pub name: String,
    /// Feature-level tags.
    pub tags: Vec<String>,
    /// The expanded scenarios.
    pub scenarios: Vec<Scenario>,
}

#[derive(Default)]
struct Outline {
    name: String,
    tags: Vec<String>,
    steps: Vec<Step>,
    line: usize,
    is_outline: bool,
    /// Examples blocks: their tags and table.
    examples: Vec<(Vec<String>, Vec<Vec<String>>, usize)>,
}

/// Splits a table row `| a | b\|c |` into cells, honouring `\|`, `\\` and `\n` escapes.
fn table_cells(line: &str) -> Vec<String> {
    let inner = line.trim();
    let inner = inner.strip_prefix('|').unwrap_or(inner);
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('|') => cell.push('|'),
                Some('n') => cell.push('\n'),
                Some('\\') => cell.push('\\'),
                Some(other) => {
                    cell.push('\\');
                    cell.push(other);
                }
                None => cell.push('\\'),
            },
            '|' => {
                cells.push(cell.trim().to_string());
                cell.clear();
            }
            c => cell.push(c),
        }
    }
    cells
}

const STEP_KEYWORDS: [&str; 6] = ["Given ", "When ", "Then ", "And ", "But ", "* "];

fn substitute(text: &str, header: &[String], row: &[String]) -> String {
    let mut out = text.to_string();
    for (h, v) in header.iter().zip(row) {
        out = out.replace(&format!("<{h}>"), v);
    }
    out
}

impl Outline {
    fn expand(self, feature_tags: &[String], background: &[Step], out: &mut Vec<Scenario>) {
        let mut tags: Vec<String> = feature_tags.to_vec();
        tags.extend(self.tags.iter().cloned());
        let with_background = |steps: Vec<Step>| {
            let mut all = background.to_vec();
            all.extend(steps);
            all
        };
        if !self.is_outline {
            out.push(Scenario {
                name: self.name,
                tags,
                steps: with_background(self.steps),
                line: self.line,
            });
            return;
        }
        for (example_tags, table, table_line) in self.examples {
            let Some((header, rows)) = table.split_first() else {
                continue;
            };
            for (i, row) in rows.iter().enumerate() {
                let steps = self
                    .steps
                    .iter()
                    .map(|s| Step {
                        keyword: s.keyword.clone(),
                        text: substitute(&s.text, header, row),
                        arg: match &s.arg {
                            StepArg::None => StepArg::None,
                            StepArg::DocString(d) => StepArg::DocString(substitute(d, header, row)),
                            StepArg::Table(t) => StepArg::Table(
                                t.iter()
                                    .map(|r| r.iter().map(|c| substitute(c, header, row)).collect())
                                    .collect(),
                            ),
                        },
                        line: s.line,
                    })
                    .collect();
                let mut tags = tags.clone();
                tags.extend(example_tags.iter().cloned());
                out.push(Scenario {
                    name: format!("{} [{}]", self.name, row.join(" | ")),
                    tags,
                    steps: with_background(steps),
                    line: table_line + 1 + i,
                });
            }
        }
    }
}

/// Parses a feature file's text.
pub fn parse(text: &str) -> Result<Feature> {
    let lines: Vec<&str> = text.lines().collect();
    let mut feature = Feature::default();
    let mut pending_tags: Vec<String> = Vec::new();
    let mut background: Vec<Step> = Vec::new();
    let mut in_background = false;
    let mut current: Option<Outline> = None;
    let mut done: Vec<Outline> = Vec::new();
    // The table a step or an Examples block is collecting.
    enum Target {
        Step,
        Examples,
        Nothing,
    }
    let mut target = Target::Nothing;
    let mut i = 0;
    while i < lines.len() {
        let raw = lines[i];
        let line = raw.trim();
        let lineno = i + 1;
        i += 1;
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line.starts_with('@') {
            pending_tags.extend(
                line.split_whitespace()
                    .take_while(|t| !t.starts_with('#'))
                    .map(|t| t.trim_start_matches('@').to_string()),
            );
            continue;
        }
        if let Some(rest) = line.strip_prefix("Feature:") {
            feature.name = rest.trim().to_string();
            feature.tags = std::mem::take(&mut pending_tags);
            target = Target::Nothing;
            continue;
        }
        if line.starts_with("Background:") {
            in_background = true;
            target = Target::Nothing;
            continue;
        }
        let scenario_kw = [
            "Scenario Outline:",
            "Scenario Template:",
            "Scenario:",
            "Example:",
        ]
        .iter()
        .find(|k| line.starts_with(**k));
        if let Some(kw) = scenario_kw {
            if let Some(o) = current.take() {
                done.push(o);
            }
            in_background = false;
            current = Some(Outline {
                name: line[kw.len()..].trim().to_string(),
                tags: std::mem::take(&mut pending_tags),
                line: lineno,
                is_outline: kw.contains("Outline") || kw.contains("Template"),
                ..Outline::default()
            });
            target = Target::Nothing;
            continue;
        }
        if line.starts_with("Examples:") || line.starts_with("Scenarios:") {
            let o = current.as_mut().ok_or_else(|| Error::Gherkin {
                line: lineno,
                message: "Examples outside a Scenario Outline".into(),
            })?;
            o.examples
                .push((std::mem::take(&mut pending_tags), Vec::new(), lineno));
            target = Target::Examples;
            continue;
        }
        if line.starts_with('|') {
            let cells = table_cells(line);
            match target {
                Target::Examples => {
                    let o = current
                        .as_mut()
                        .expect("Examples target implies a scenario");
                    let ex = o
                        .examples
                        .last_mut()
                        .expect("Examples target implies a block");
                    if ex.1.is_empty() {
                        ex.2 = lineno;
                    }
                    ex.1.push(cells);
                }
                Target::Step => {
                    let steps = if in_background {
                        &mut background
                    } else {
                        &mut current
                            .as_mut()
                            .expect("step target implies a scenario")
                            .steps
                    };
                    let step = steps.last_mut().expect("step target implies a step");
                    match &mut step.arg {
                        StepArg::Table(t) => t.push(cells),
                        arg => *arg = StepArg::Table(vec![cells]),
                    }
                }
                Target::Nothing => {
                    return Err(Error::Gherkin {
                        line: lineno,
                        message: "table row without a step".into(),
                    })
                }
            }
            continue;
        }
        if line.starts_with("\"\"\"") || line.starts_with("```") {
            let fence = &line[..3];
            let indent = raw.len() - raw.trim_start().len();
            let mut body = Vec::new();
            loop {
                let Some(l) = lines.get(i) else {
                    return Err(Error::Gherkin {
                        line: lineno,
                        message: "unterminated doc string".into(),
                    });
                };
                i += 1;
                if l.trim() == fence {
                    break;
                }
                let strip = l
                    .char_indices()
                    .take_while(|(p, c)| *p < indent && c.is_whitespace())
                    .count();
                body.push(&l[strip..]);
            }
            let steps = if in_background {
                &mut background
            } else {
                match current.as_mut() {
                    Some(o) => &mut o.steps,
                    None => {
                        return Err(Error::Gherkin {
                            line: lineno,
                            message: "doc string without a step".into(),
                        })
                    }
                }
            };
            let step = steps.last_mut().ok_or_else(|| Error::Gherkin {
                line: lineno,
                message: "doc string without a step".into(),
            })?;
            step.arg = StepArg::DocString(body.join("\n"));
            continue;
        }
        if let Some(kw) = STEP_KEYWORDS.iter().find(|k| line.starts_with(**k)) {
            let step = Step {
                keyword: kw.trim().to_string(),
                text: line[kw.len()..].trim().to_string(),
                arg: StepArg::None,
                line: lineno,
            };
            if in_background {
                background.push(step);
            } else if let Some(o) = current.as_mut() {
                o.steps.push(step);
            } else {
                return Err(Error::Gherkin {
                    line: lineno,
                    message: "step outside a scenario".into(),
                });
            }
            target = Target::Step;
            continue;
        }
        // Free text: the description of a feature or scenario.
        target = Target::Nothing;
    }
    if let Some(o) = current.take() {
        done.push(o);
    }
    for o in done {
        o.expand(&feature.tags, &background, &mut feature.scenarios);
    }
    Ok(feature)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r#"@routing @testbot
Feature: Basic
    Some description.

    Background:
        Given the profile "testbot"

    @smoke
    Scenario: A line
        Given the node map
            """
            a b
              c
            """
        # a comment
        And the ways
            | nodes | highway |
            | ab    | primary |

    Scenario Outline: Speeds
        Then routability should be
            | highway   | forw   |
            | <highway> | <time> |

        Examples:
            | highway | time |
            | primary | 10s  |
            | a\|b    | 20s  |
"#;

    #[test]
    fn parses_background_outlines_docstrings_and_escapes() {
        let f = parse(TEXT).unwrap();
        assert_eq!(f.name, "Basic");
        assert_eq!(f.tags, vec!["routing", "testbot"]);
        assert_eq!(f.scenarios.len(), 3);
        let s = &f.scenarios[0];
        assert_eq!(s.tags, vec!["routing", "testbot", "smoke"]);
        assert_eq!(s.steps.len(), 3);
        assert_eq!(s.steps[1].arg, StepArg::DocString("a b\n  c".into()));
        assert_eq!(
            s.steps[2].arg,
            StepArg::Table(vec![
                vec!["nodes".into(), "highway".into()],
                vec!["ab".into(), "primary".into()]
            ])
        );
        let t = &f.scenarios[2];
        assert_eq!(
            t.steps[1].arg,
            StepArg::Table(vec![
                vec!["highway".into(), "forw".into()],
                vec!["a|b".into(), "20s".into()]
            ])
        );
    }
}
