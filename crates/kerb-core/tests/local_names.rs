//! Street names in other languages (`name:xx`) on the bundled Helsinki extract, which is
//! bilingual (Finnish `name`, Swedish `name:sv`), checked against the PBF read independently and
//! through the graph file.

use std::collections::{HashMap, HashSet};
use std::fs::File;

use kerb_core::{Graph, Profile};
use kerb_testdata::{helsinki_graph, helsinki_pbf, temp_dir};
use osmpbfreader::{OsmObj, OsmPbfReader};

fn graph() -> &'static Graph {
    helsinki_graph("truck", |pbf| Graph::from_pbf(pbf, &Profile::truck()))
}

/// `name:sv` of every way that has one, and every (`name`, `name:sv`) pair of the extract.
fn swedish_names() -> (HashMap<i64, String>, HashSet<(String, String)>) {
    let mut pbf = OsmPbfReader::new(File::open(helsinki_pbf()).unwrap());
    let (mut by_way, mut pairs) = (HashMap::new(), HashSet::new());
    for obj in pbf.par_iter() {
        if let OsmObj::Way(w) = obj.unwrap() {
            if let Some(sv) = w.tags.get("name:sv") {
                by_way.insert(w.id.0, sv.to_string());
                let name = w.tags.get("name").map_or("", |n| n.as_str());
                pairs.insert((name.to_string(), sv.to_string()));
            }
        }
    }
    (by_way, pairs)
}

#[test]
fn swedish_names_of_helsinki_streets() {
    let g = graph();
    let names = g.road().local_names().unwrap();
    let langs = names.languages();
    assert!(langs.contains(&"sv") && langs.contains(&"fi"), "{langs:?}");
    assert!(names.len() > 50, "{} translated street names", names.len());

    let (sv, pairs) = swedish_names();
    let (mut tagged, mut same) = (0, 0);
    let mut mannerheim = 0;
    for e in g.edges() {
        let way = g.osm_way_id(e.id).unwrap() as i64;
        let local = names.edge_name(g.road(), e.id, "sv");
        if let Some(expected) = sv.get(&way) {
            tagged += 1;
            same += usize::from(local == expected);
            // Where not the way's own, the translation is another way's of the same street
            // (Helsinki's Kaivokatu is tagged both Brunnsgatan and Brunngatan).
            assert!(
                local == expected || pairs.contains(&(e.name.to_string(), local.to_string())),
                "edge {:?} {}: {local} is no way's name:sv",
                e.id,
                e.name
            );
        }
        if e.name == "Mannerheimintie" {
            mannerheim += 1;
            assert_eq!(local, "Mannerheimvägen");
            // A regional tag falls back to its language; a language nobody tagged, to `name`.
            assert_eq!(names.edge_name(g.road(), e.id, "sv-FI"), "Mannerheimvägen");
            assert_eq!(names.edge_name(g.road(), e.id, "ar"), "Mannerheimintie");
        }
        if !e.name.is_empty() && local.is_empty() {
            panic!("edge {:?} lost its name {:?}", e.id, e.name);
        }
    }
    assert!(mannerheim > 0, "Mannerheimintie is on the truck graph");
    // Per street name, the first way's translation wins: the other ways of the same name agree
    // with it almost everywhere.
    assert!(tagged > 1000, "{tagged} edges on ways with name:sv");
    assert!(
        same as f64 >= 0.98 * tagged as f64,
        "{same} of {tagged} edges have their own way's name:sv"
    );
}

#[test]
fn translations_survive_the_graph_file() {
    let g = graph();
    let path = temp_dir("local_names").join("helsinki.kerb");
    g.save(&path).unwrap();
    let back = Graph::open(&path).unwrap();
    assert_eq!(
        back.road().local_names().unwrap(),
        g.road().local_names().unwrap()
    );
}
