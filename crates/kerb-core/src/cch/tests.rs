use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::*;
use crate::ch::Seed;
use proptest::prelude::*;

fn dijkstra(n: usize, arcs: &[ch::Arc], s: u32, t: u32) -> Option<i64> {
    let mut adj = vec![Vec::new(); n];
    for a in arcs {
        adj[a.tail as usize].push(*a);
    }
    let mut dist = vec![i64::MAX; n];
    let mut heap = BinaryHeap::new();
    dist[s as usize] = 0;
    heap.push(Reverse((0i64, s)));
    while let Some(Reverse((d, v))) = heap.pop() {
        if d > dist[v as usize] {
            continue;
        }
        for a in &adj[v as usize] {
            let nd = d + a.weight as i64;
            if nd < dist[a.head as usize] {
                dist[a.head as usize] = nd;
                heap.push(Reverse((nd, a.head)));
            }
        }
    }
    (dist[t as usize] != i64::MAX).then_some(dist[t as usize])
}

fn graph() -> impl Strategy<Value = (usize, Vec<ch::Arc>, Vec<[f64; 2]>)> {
    (2usize..60).prop_flat_map(|n| {
        let arc = (0..n as u32, 0..n as u32, 0u32..100, 0u32..1000).prop_map(
            |(tail, head, weight, dist)| ch::Arc {
                tail,
                head,
                weight,
                dist,
            },
        );
        let xy =
            proptest::collection::vec((0.0f64..100.0, 0.0f64..100.0).prop_map(|(x, y)| [x, y]), n);
        (Just(n), proptest::collection::vec(arc, 0..n * 4), xy)
    })
}

fn topology(n: usize, arcs: &[ch::Arc], xy: &[[f64; 2]]) -> Arc<CchTopology> {
    let edges: Vec<(u32, u32)> = arcs.iter().map(|a| (a.tail, a.head)).collect();
    Arc::new(CchTopology::build(n, &edges, xy, 7))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn cch_equals_dijkstra((n, arcs, xy) in graph(), pairs in proptest::collection::vec((0u32..1000, 0u32..1000), 1..30), closed in 0usize..4) {
        let t = topology(n, &arcs, &xy);
        // A metric over a subset of the topology's arcs: the rest is closed.
        let metric: Vec<ch::Arc> = arcs.iter().enumerate().filter(|(i, _)| closed == 0 || i % 4 != closed).map(|(_, a)| *a).collect();
        let cch = t.customize(&metric).unwrap();
        let mut ws = cch.workspace();
        for &(s, d) in &pairs {
            let (s, d) = (s % n as u32, d % n as u32);
            let got = cch.query(&mut ws, &[Seed::node(s)], &[Seed::node(d)]);
            prop_assert_eq!(dijkstra(n, &metric, s, d), got.as_ref().map(|r| r.weight));
            if let Some(r) = got {
                let nodes = cch.unpack(&r);
                prop_assert_eq!(nodes[0], s);
                prop_assert_eq!(*nodes.last().unwrap(), d);
                let w: i64 = nodes.windows(2).map(|p| metric.iter().filter(|a| a.tail == p[0] && a.head == p[1]).map(|a| a.weight as i64).min().expect("unpacked arc exists")).sum();
                prop_assert_eq!(w, r.weight);
            }
        }
        let seeds: Vec<Vec<Seed>> = pairs.iter().take(8).map(|&(s, _)| vec![Seed::node(s % n as u32)]).collect();
        let m = cch.many_to_many(&seeds, &seeds);
        for (i, s) in seeds.iter().enumerate() {
            for (j, d) in seeds.iter().enumerate() {
                prop_assert_eq!(m.cells[i * seeds.len() + j].map(|c| c.0), dijkstra(n, &metric, s[0].node, d[0].node));
            }
        }
    }

    #[test]
    fn bytes_round_trip((n, arcs, xy) in graph()) {
        let t = topology(n, &arcs, &xy);
        let back = CchTopology::from_bytes(&t.to_bytes(), 7).unwrap();
        prop_assert_eq!(&*t, &back);
        let cch = t.customize(&arcs).unwrap();
        let again = Cch::from_metric_bytes(Arc::new(back), &cch.metric_bytes()).unwrap();
        prop_assert_eq!(&cch.up, &again.up);
        prop_assert_eq!(&cch.down, &again.down);
    }
}

#[test]
fn bad_input_is_a_typed_error() {
    let arcs = [
        ch::Arc {
            tail: 0,
            head: 1,
            weight: 3,
            dist: 3,
        },
        ch::Arc {
            tail: 1,
            head: 2,
            weight: 3,
            dist: 3,
        },
    ];
    let xy = [[0.0, 0.0], [1.0, 0.0], [2.0, 0.0]];
    let t = topology(3, &arcs, &xy);
    let not_an_edge = ch::Arc {
        tail: 0,
        head: 2,
        weight: 1,
        dist: 1,
    };
    assert_eq!(
        t.customize(&[not_an_edge]).unwrap_err(),
        CchError::ArcNotInTopology { tail: 0, head: 2 }
    );
    let out_of_range = ch::Arc {
        tail: 0,
        head: 9,
        weight: 1,
        dist: 1,
    };
    assert!(t.customize(&[out_of_range]).is_err());
    assert!(matches!(
        CchTopology::from_bytes(&t.to_bytes(), 8),
        Err(CchError::StaleTopology { .. })
    ));
    let bytes = t.to_bytes();
    assert!(matches!(
        CchTopology::from_bytes(&bytes[..bytes.len() - 4], 7),
        Err(CchError::Corrupt(_))
    ));
    let metric = t.customize(&arcs).unwrap().metric_bytes();
    let mut bad = metric.clone();
    *bad.last_mut().unwrap() ^= 1;
    assert!(matches!(
        Cch::from_metric_bytes(Arc::clone(&t), &bad),
        Err(CchError::Corrupt(_))
    ));
    let other = topology(3, &[arcs[0]], &xy);
    assert!(matches!(
        Cch::from_metric_bytes(other, &metric),
        Err(CchError::StaleMetric { .. })
    ));
}
