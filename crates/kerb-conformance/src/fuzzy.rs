//! OSRM's tolerant cell comparison: exact text, `N +-M` absolute ranges, `N ~P%` relative
//! ranges, `/regex/`-like patterns and bearing lists with a `+-` margin.

fn parse_leading_f64(s: &str) -> Option<f64> {
    // JavaScript's parseFloat: the longest numeric prefix after leading whitespace.
    let s = s.trim_start();
    let mut end = 0;
    let bytes = s.as_bytes();
    let mut seen_digit = false;
    let mut seen_dot = false;
    let mut seen_exp = false;
    while end < bytes.len() {
        let c = bytes[end] as char;
        match c {
            '0'..='9' => seen_digit = true,
            '+' | '-' if end == 0 => {}
            '+' | '-' if seen_exp && matches!(bytes[end - 1], b'e' | b'E') => {}
            '.' if !seen_dot && !seen_exp => seen_dot = true,
            'e' | 'E' if seen_digit && !seen_exp => seen_exp = true,
            _ => break,
        }
        end += 1;
    }
    let mut candidate = &s[..end];
    while !candidate.is_empty() {
        if let Ok(v) = candidate.parse::<f64>() {
            return Some(v);
        }
        candidate = &candidate[..candidate.len() - 1];
    }
    None
}

fn in_range(margin: f64, got: &str, want: &str) -> bool {
    match (parse_leading_f64(got), parse_leading_f64(want)) {
        (Some(g), Some(w)) => g >= w - margin && g <= w + margin,
        _ => false,
    }
}

/// A translation of the few regular expressions the feature files use (`.*`, `.`, literal
/// text, `^`/`$` anchors are implied by a full match on neither end, as in JavaScript's
/// unanchored `match`).
fn pattern_match(pattern: &str, got: &str) -> bool {
    fn here(p: &[char], g: &[char]) -> bool {
        match p.split_first() {
            None => true,
            Some(('$', [])) => g.is_empty(),
            Some(('\\', rest)) if !rest.is_empty() => {
                !g.is_empty() && g[0] == rest[0] && here(&rest[1..], &g[1..])
            }
            Some((c, rest)) if rest.first() == Some(&'*') => {
                let rest = &rest[1..];
                let mut i = 0;
                loop {
                    if here(rest, &g[i..]) {
                        return true;
                    }
                    if i < g.len() && (*c == '.' || g[i] == *c) {
                        i += 1;
                    } else {
                        return false;
                    }
                }
            }
            Some(('.', rest)) => !g.is_empty() && here(rest, &g[1..]),
            Some((c, rest)) => !g.is_empty() && g[0] == *c && here(rest, &g[1..]),
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let g: Vec<char> = got.chars().collect();
    if let Some(anchored) = p.strip_prefix(&['^']) {
        return here(anchored, &g);
    }
    (0..=g.len()).any(|i| here(&p, &g[i..]))
}

/// Whether `got` satisfies the expected cell `want`, with OSRM's `FuzzyMatch` semantics.
pub fn matches(got: &str, want: &str) -> bool {
    if got == want {
        return true;
    }
    if let Some((values, margin)) = want.split_once("+-") {
        let margin = parse_leading_f64(margin.trim()).unwrap_or(0.0);
        let values = values.trim();
        if values.contains("->") {
            let want_pairs: Vec<&str> = values.split(',').collect();
            let got_pairs: Vec<&str> = got.split(',').collect();
            return want_pairs.len() == got_pairs.len()
                && want_pairs.iter().zip(&got_pairs).all(|(w, g)| {
                    let (w0, w1) = w.split_once("->").unwrap_or((w, ""));
                    let (g0, g1) = g.split_once("->").unwrap_or((g, ""));
                    in_range(margin, g0, w0) && in_range(margin, g1, w1)
                });
        }
        return in_range(margin, got, values);
    }
    if let Some(stripped) = want.strip_suffix('%') {
        if let Some((target, pct)) = stripped.rsplit_once('~') {
            if let (Some(t), Some(p)) = (parse_leading_f64(target), parse_leading_f64(pct)) {
                if t == 0.0 {
                    return true;
                }
                return match parse_leading_f64(got) {
                    Some(g) => 100.0 * (1.0 - g / t).abs() < p,
                    None => false,
                };
            }
        }
    }
    if want.len() >= 2 && want.starts_with('/') && want.ends_with('/') {
        return pattern_match(&want[1..want.len() - 1], got);
    }
    false
}

/// Whether a returned location is the expected one (OSRM: each coordinate within 0.0025 %).
pub fn matches_location(got: [f64; 2], want: [f64; 2]) -> bool {
    let close = |g: f64, w: f64| w == 0.0 || 100.0 * (1.0 - g / w).abs() < 0.0025;
    close(got[0], want[0]) && close(got[1], want[1])
}

/// Whether a mismatch is only numeric noise: both cells are numbers with the same unit within
/// 1 % (or 0.15) of each other. The gap list counts these apart from real differences.
pub fn close_number(got: &str, want: &str) -> bool {
    let want = want.split(" +-").next().unwrap_or(want);
    let want = want.split(" ~").next().unwrap_or(want).trim();
    let unit = |s: &str| {
        s.trim_start_matches(|c: char| c.is_ascii_digit() || matches!(c, '.' | '-' | '+'))
            .trim()
            .to_string()
    };
    match (parse_leading_f64(got), parse_leading_f64(want)) {
        (Some(g), Some(w)) if unit(got) == unit(want) => {
            (g - w).abs() <= 0.15 || (g - w).abs() <= 0.01 * w.abs()
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osrm_tolerances() {
        assert!(matches("10s", "10s"));
        assert!(matches("10.9s", "10s +-1"));
        assert!(!matches("11.1s", "10s +-1"));
        assert!(matches("101m", "100m ~2%"));
        assert!(!matches("103m", "100m ~2%"));
        assert!(matches("0->90,270->0", "0->88,270->0 +-2"));
        assert!(!matches("0->95,270->0", "0->88,270->0 +-2"));
        assert!(matches("ab,bc,bc", "/ab,bc.*/"));
        assert!(!matches("x", "/^ab/"));
        assert!(matches("", ""));
        assert!(!matches("a", ""));
        assert!(close_number("99.9m", "100m"));
        assert!(close_number("59.9", "60 +-0.05"));
        assert!(!close_number("72 km/h", "36 km/h +- 1"));
        assert!(!close_number("99.9s", "100m"));
    }
}
