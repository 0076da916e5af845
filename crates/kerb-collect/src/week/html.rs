//! The week's offline HTML page: a selector between the territories and each working day's
//! map (the day maps of [`CollectionPlan::to_html`](crate::CollectionPlan::to_html)).

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write;

use kerb_core::Graph;

use super::{CollectionWeek, WeekPlan};
use crate::export::road_layer;
use crate::html::{escape, render, MapLayers, MapMarker, MapRoute};

impl WeekPlan {
    /// A self-contained HTML page for the week: a selector between the territory view (every
    /// bin in its truck's colour, with each truck's bins and hours over the week) and one map
    /// per working day (that day's routes, the bins collected and the must-collect bins left
    /// out), with the week's totals. Opens offline.
    pub fn to_html(&self, graph: &Graph, week: &CollectionWeek) -> String {
        let mut views: Vec<(String, String)> =
            vec![("Territories".into(), self.territories_html(graph, week))];
        for d in &self.days {
            let shown: HashSet<&str> = d
                .plan
                .routes
                .iter()
                .flat_map(|r| r.stops.iter().map(|s| s.id.as_str()))
                .chain(d.plan.unassigned.iter().map(|u| u.id.as_str()))
                .collect();
            let mut day = week.day.clone();
            day.name = format!("{} {:?}", week.name, d.weekday);
            day.bins.retain(|b| shown.contains(b.id.as_str()));
            let k = &d.kpis;
            let title = format!(
                "{:?}: {:.1} km, {} bins, {:.1} h",
                d.weekday, k.distance_km, k.bins_collected, k.working_h
            );
            views.push((title, d.plan.to_html(graph, &day)));
        }
        let t = &self.totals;
        let mut page = String::from("<!doctype html><html><head><meta charset=\"utf-8\"><title>");
        page.push_str(&escape(&self.name));
        page.push_str(
            "</title><style>html,body{margin:0;height:100%;font-family:sans-serif}\
             nav{padding:6px 10px;border-bottom:1px solid #ddd;font-size:13px}\
             iframe{border:0;width:100%;height:calc(100vh - 40px);display:none}\
             iframe.on{display:block}</style></head><body><nav><select id=\"view\">",
        );
        for (i, (title, _)) in views.iter().enumerate() {
            let _ = write!(page, "<option value=\"{i}\">{}</option>", escape(title));
        }
        let _ = write!(
            page,
            "</select> {:?} policy: {:.1} km, {:.1} working h, {} collections, {} overflows, {:.0} l fuel</nav>",
            self.policy, t.distance_km, t.working_h, t.bins_collected, t.overflows, t.fuel_l
        );
        for (i, (_, html)) in views.iter().enumerate() {
            let class = if i == 0 { " class=\"on\"" } else { "" };
            let _ = write!(
                page,
                "<iframe id=\"view-{i}\"{class} srcdoc=\"{}\"></iframe>",
                escape(html)
            );
        }
        page.push_str(
            "<script>document.getElementById('view').addEventListener('change',function(e){\
             document.querySelectorAll('iframe').forEach(function(f){f.className='';});\
             document.getElementById('view-'+e.target.value).className='on';});</script></body></html>",
        );
        page
    }

    fn territories_html(&self, graph: &Graph, week: &CollectionWeek) -> String {
        let trucks: Vec<String> = week.day.truck_names().collect();
        let index: BTreeMap<&str, usize> = trucks
            .iter()
            .enumerate()
            .map(|(i, t)| (t.as_str(), i))
            .collect();
        let mut count = vec![0usize; trucks.len()];
        let bins = week
            .day
            .bins
            .iter()
            .map(|b| {
                let truck = self.territories.get(&b.id);
                let route = truck.and_then(|t| index.get(t.as_str()).copied());
                if let Some(i) = route {
                    count[i] += 1;
                }
                MapMarker {
                    lon: b.lon,
                    lat: b.lat,
                    tooltip: format!("{}\n{}", b.id, truck.map_or("no territory", |t| t.as_str())),
                    route,
                    ..MapMarker::default()
                }
            })
            .collect();
        let routes = trucks
            .iter()
            .zip(&count)
            .map(|(t, n)| MapRoute {
                name: t.clone(),
                details: vec![format!(
                    "{n} bins, {:.1} h this week",
                    self.totals
                        .working_h_by_truck
                        .get(t)
                        .copied()
                        .unwrap_or(0.0)
                )],
                line: Vec::new(),
            })
            .collect();
        let marker = |id: &str, lon: f64, lat: f64| MapMarker {
            lon,
            lat,
            label: id.to_string(),
            tooltip: id.to_string(),
            route: None,
        };
        let layers = MapLayers {
            roads: road_layer(graph),
            routes,
            bins,
            depots: week
                .day
                .depots
                .iter()
                .map(|d| marker(&d.id, d.lon, d.lat))
                .collect(),
            disposal: week
                .day
                .disposal_sites
                .iter()
                .map(|d| marker(&d.id, d.lon, d.lat))
                .collect(),
            ..MapLayers::default()
        };
        let summary = vec![format!(
            "territory stability {:.0} %",
            100.0 * self.totals.territory_stability
        )];
        render(&format!("{}: territories", self.name), &summary, &layers)
    }
}
