//! Reader of the CARPLIB `.dat` format (Belenguer, Universitat de València).

use super::{CarpInstance, Edge, RequiredEdge};
use crate::{Error, Result};

fn parse_err(line: usize, message: impl Into<String>) -> Error {
    Error::Parse {
        line,
        message: message.into(),
    }
}

/// A non-negative integer; CARPLIB writes a few values as `3625.`.
fn parse_int(tok: &str, line: usize, what: &str) -> Result<u64> {
    if let Ok(x) = tok.parse::<u64>() {
        return Ok(x);
    }
    match tok.parse::<f64>() {
        Ok(x) if x.is_finite() && x >= 0.0 && x.fract() == 0.0 && x < 9.0e15 => Ok(x as u64),
        _ => Err(parse_err(
            line,
            format!("{what}: expected a non-negative integer, found {tok:?}"),
        )),
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Section {
    Header,
    Required,
    NonRequired,
}

/// Reads a CARPLIB instance (keywords `NOMBRE`, `VERTICES`, `ARISTAS_REQ`, `ARISTAS_NOREQ`,
/// `VEHICULOS`, `CAPACIDAD`, `LISTA_ARISTAS_REQ`, `LISTA_ARISTAS_NOREQ`, `DEPOSITO`; the
/// informative `COMENTARIO`, `TIPO_COSTES_ARISTAS` and `COSTE_TOTAL_REQ` are accepted).
/// Vertex `k` of the file is vertex `k - 1` of the instance.
///
/// Malformed input gives [`Error::Parse`] with the 1-based line number; an instance that
/// parses but cannot be served (demand above capacity, edge unreachable from the depot) gives
/// the error of [`CarpInstance::validate`].
///
/// ```
/// let err = kerb_plan::carp::read_carplib("VERTICES : 3\nLISTA_ARISTAS_REQ :\n( 1, x) coste 2 demanda 1\n");
/// assert!(matches!(err, Err(kerb_plan::Error::Parse { line: 3, .. })));
/// ```
pub fn read_carplib(text: &str) -> Result<CarpInstance> {
    let mut name = String::new();
    let mut vertices: Option<usize> = None;
    let mut n_req: Option<usize> = None;
    let mut n_noreq: Option<usize> = None;
    let mut vehicles = None;
    let mut capacity: Option<u64> = None;
    let mut depot: Option<usize> = None;
    let mut required = Vec::new();
    let mut non_required = Vec::new();
    let mut section = Section::Header;
    let mut last_line = 0;
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        last_line = line;
        let l = raw.trim();
        if l.is_empty() {
            continue;
        }
        if l.starts_with('(') {
            if section == Section::Header {
                return Err(parse_err(
                    line,
                    "edge outside LISTA_ARISTAS_REQ / LISTA_ARISTAS_NOREQ",
                ));
            }
            let Some(n) = vertices else {
                return Err(parse_err(line, "edge list before VERTICES"));
            };
            let cleaned: String = l
                .chars()
                .map(|c| if matches!(c, '(' | ')' | ',') { ' ' } else { c })
                .collect();
            let toks: Vec<&str> = cleaned.split_whitespace().collect();
            let want = if section == Section::Required { 6 } else { 4 };
            if toks.len() != want
                || !toks[2].eq_ignore_ascii_case("coste")
                || (want == 6 && !toks[4].eq_ignore_ascii_case("demanda"))
            {
                let form = if want == 6 {
                    "( i, j) coste C demanda D"
                } else {
                    "( i, j) coste C"
                };
                return Err(parse_err(line, format!("expected `{form}`, found {l:?}")));
            }
            let vertex = |tok: &str| -> Result<usize> {
                let k = parse_int(tok, line, "vertex")? as usize;
                if k == 0 || k > n {
                    return Err(parse_err(line, format!("vertex {k} outside 1..={n}")));
                }
                Ok(k - 1)
            };
            let (u, v) = (vertex(toks[0])?, vertex(toks[1])?);
            let cost = parse_int(toks[3], line, "coste")?;
            if section == Section::Required {
                let demand = parse_int(toks[5], line, "demanda")?;
                required.push(RequiredEdge { u, v, cost, demand });
            } else {
                non_required.push(Edge { u, v, cost });
            }
            continue;
        }
        let Some((key, value)) = l.split_once(':') else {
            return Err(parse_err(
                line,
                format!("expected `KEYWORD : value`, found {l:?}"),
            ));
        };
        let key = key.trim().to_ascii_uppercase();
        let value = value.trim();
        let first = value.split_whitespace().next().unwrap_or("");
        let int = |what: &str| parse_int(first, line, what);
        match key.as_str() {
            "NOMBRE" => name = value.to_string(),
            "COMENTARIO" | "TIPO_COSTES_ARISTAS" | "COSTE_TOTAL_REQ" => {}
            "VERTICES" => vertices = Some(int("VERTICES")? as usize),
            "ARISTAS_REQ" => n_req = Some(int("ARISTAS_REQ")? as usize),
            "ARISTAS_NOREQ" => n_noreq = Some(int("ARISTAS_NOREQ")? as usize),
            "VEHICULOS" => vehicles = Some(int("VEHICULOS")? as usize),
            "CAPACIDAD" => capacity = Some(int("CAPACIDAD")?),
            "LISTA_ARISTAS_REQ" => section = Section::Required,
            "LISTA_ARISTAS_NOREQ" => section = Section::NonRequired,
            "DEPOSITO" => {
                let k = int("DEPOSITO")? as usize;
                match vertices {
                    Some(n) if (1..=n).contains(&k) => depot = Some(k - 1),
                    Some(n) => return Err(parse_err(line, format!("depot {k} outside 1..={n}"))),
                    None => return Err(parse_err(line, "DEPOSITO before VERTICES")),
                }
                section = Section::Header;
            }
            other => return Err(parse_err(line, format!("unknown keyword {other:?}"))),
        }
    }
    let end = last_line.max(1);
    let vertices = vertices.ok_or_else(|| parse_err(end, "missing VERTICES"))?;
    let capacity = capacity.ok_or_else(|| parse_err(end, "missing CAPACIDAD"))?;
    let depot = depot.ok_or_else(|| parse_err(end, "missing DEPOSITO"))?;
    if let Some(k) = n_req.filter(|&k| k != required.len()) {
        return Err(parse_err(
            end,
            format!("ARISTAS_REQ says {k} but {} are listed", required.len()),
        ));
    }
    if let Some(k) = n_noreq.filter(|&k| k != non_required.len()) {
        return Err(parse_err(
            end,
            format!(
                "ARISTAS_NOREQ says {k} but {} are listed",
                non_required.len()
            ),
        ));
    }
    let inst = CarpInstance {
        name,
        vertices,
        depot,
        capacity,
        vehicles,
        required,
        non_required,
    };
    inst.validate()?;
    Ok(inst)
}

/// Reads a CARPLIB file (see [`read_carplib`]).
pub fn read_carplib_file(path: impl AsRef<std::path::Path>) -> Result<CarpInstance> {
    read_carplib(&std::fs::read_to_string(path)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TINY: &str = " NOMBRE : t\n VERTICES : 3\n ARISTAS_REQ : 2\n ARISTAS_NOREQ : 1\n \
        VEHICULOS : 1\n CAPACIDAD : 5\n LISTA_ARISTAS_REQ :\n ( 1, 2) coste 3 demanda 2\n \
        ( 2, 3) coste 4. demanda 1\n LISTA_ARISTAS_NOREQ :\n ( 3, 1) coste 1\n DEPOSITO : 1\n";

    #[test]
    fn reads_tiny() {
        let i = read_carplib(TINY).unwrap();
        assert_eq!((i.vertices, i.depot, i.capacity), (3, 0, 5));
        assert_eq!(
            i.required[1],
            RequiredEdge {
                u: 1,
                v: 2,
                cost: 4,
                demand: 1
            }
        );
        assert_eq!(
            i.non_required,
            vec![Edge {
                u: 2,
                v: 0,
                cost: 1
            }]
        );
    }

    #[test]
    fn errors_carry_lines() {
        let cases = [
            (TINY.replace("( 1, 2)", "( 1, 9)"), 8),
            (TINY.replace("demanda 2", "demand 2"), 8),
            (TINY.replace("coste 1\n", "coste -1\n"), 11),
            (TINY.replace("VERTICES : 3", "VERTICES : tres"), 2),
            (TINY.replace("DEPOSITO : 1", "DEPOSITO : 4"), 12),
            (TINY.replace("ARISTAS_REQ : 2", "ARISTAS_REQ : 3"), 12),
            (TINY.replace("CAPACIDAD", "CAPACITY"), 6),
            (TINY.replace(" DEPOSITO : 1\n", ""), 11),
            (TINY.replace(" LISTA_ARISTAS_REQ :\n", ""), 7),
        ];
        for (text, want) in cases {
            match read_carplib(&text) {
                Err(Error::Parse { line, .. }) => assert_eq!(line, want, "{text}"),
                other => panic!("{other:?} for {text}"),
            }
        }
    }

    #[test]
    fn unservable_is_typed() {
        let t = TINY.replace("demanda 2", "demanda 6");
        assert!(matches!(read_carplib(&t), Err(Error::Infeasible { .. })));
        let cut = TINY
            .replace("ARISTAS_NOREQ : 1", "ARISTAS_NOREQ : 0")
            .replace(" LISTA_ARISTAS_NOREQ :\n ( 3, 1) coste 1\n", "")
            .replace("( 1, 2) coste 3", "( 3, 2) coste 3");
        assert!(matches!(read_carplib(&cut), Err(Error::Infeasible { .. })));
    }
}
