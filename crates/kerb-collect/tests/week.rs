//! The week planner on the bundled Helsinki extract: frequencies, day patterns, crew
//! availability and territories kept; fixed rota against forecast-driven days; re-planning.

use std::collections::{BTreeMap, BTreeSet};

use kerb_collect::week::sample::sample_week;
use kerb_collect::{plan_week, replan_week, CollectionWeek, Frequency, Policy, StopKind, WeekPlan};
use kerb_core::{Graph, Profile};

fn graph() -> &'static Graph {
    kerb_testdata::helsinki_graph("truck", |pbf| {
        Graph::builder(&Profile::truck()).build_from_pbf(pbf)
    })
}

fn week() -> CollectionWeek {
    let mut week = sample_week(graph(), 60, 2, 7);
    week.day.options.iterations = Some(60);
    week
}

/// Working-day indices on which each bin was collected.
fn visits(plan: &WeekPlan) -> BTreeMap<String, Vec<usize>> {
    let mut out: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (w, day) in plan.days.iter().enumerate() {
        for route in &day.plan.routes {
            for stop in route.stops.iter().filter(|s| s.kind == StopKind::Bin) {
                out.entry(stop.id.clone()).or_default().push(w);
            }
        }
    }
    out
}

fn check_week(week: &CollectionWeek, plan: &WeekPlan) {
    let calendar = week.calendar();
    assert_eq!(plan.days.len(), calendar.len());
    let visits = visits(plan);
    for (day, (_, wd)) in plan.days.iter().zip(&calendar) {
        let available = wd
            .trucks
            .map_or(week.day.size().trucks as usize, |t| t as usize);
        assert!(day.plan.routes.len() <= available, "{:?}", wd.weekday);
        assert_eq!(
            day.kpis.must_unassigned, 0,
            "{:?}: {:?}",
            wd.weekday, day.plan.unassigned
        );
    }
    for b in &week.bins {
        let got = visits.get(&b.id).cloned().unwrap_or_default();
        let on_days: BTreeSet<_> = got.iter().map(|&w| calendar[w].1.weekday).collect();
        match &b.frequency {
            Frequency::Daily => assert_eq!(got.len(), calendar.len(), "{}", b.id),
            Frequency::Days(days) => {
                assert_eq!(on_days, days.iter().copied().collect(), "{}", b.id)
            }
            Frequency::Weekly => assert_eq!(got.len(), 1, "{}", b.id),
            Frequency::OnDemand => {}
        }
    }
    // Pinned territories: a bin goes to its truck whenever that truck works (the sample's
    // Friday has one truck fewer, its bins go to the others).
    let names: Vec<String> = week.day.truck_names().collect();
    for (day, (_, wd)) in plan.days.iter().zip(&calendar) {
        let available = &names[..wd.trucks.map_or(names.len(), |t| t as usize)];
        for route in &day.plan.routes {
            for stop in route.stops.iter().filter(|s| s.kind == StopKind::Bin) {
                let pinned = &plan.territories[&stop.id];
                if available.contains(pinned) {
                    assert_eq!(pinned, &route.truck, "{}", stop.id);
                }
            }
        }
    }
    assert!(plan.totals.territory_stability > 0.5);
}

#[test]
fn sample_week_round_trips_and_validates() {
    let week = week();
    assert_eq!(week.bins.len(), 60);
    assert!(!week.readings.is_empty());
    let text = serde_json::to_string(&week).unwrap();
    let back = CollectionWeek::from_json(&text).unwrap();
    assert_eq!(back.bins.len(), 60);
    let broken = text.replacen(r#""weekday":"mon""#, r#""weekday":"sun""#, 1);
    let e = CollectionWeek::from_json(&broken).unwrap_err();
    assert!(e.to_string().contains("not a working day"), "{e}");
    // Fill models for every bin, dead sensors included; the sample has no weekly pattern
    // and few bins should show one.
    let models = week.fill_models();
    assert_eq!(models.len(), 60);
    let profiled = models
        .values()
        .filter(|m| m.weekday_factors.is_some())
        .count();
    for (id, m) in models
        .iter()
        .filter(|m| m.1.weekday_factors.is_some())
        .take(4)
    {
        let f = week.bins.iter().find(|b| &b.id == id).unwrap();
        eprintln!("{id} {:?} {m:?}", f.frequency);
    }
    assert!(profiled <= 6, "{profiled}");
}

#[test]
fn fixed_and_forecast_weeks_keep_patterns_crews_and_territories() {
    let week = week();
    let fixed = plan_week(graph(), &week, Policy::Fixed).unwrap();
    let forecast = plan_week(graph(), &week, Policy::Forecast).unwrap();
    check_week(&week, &fixed);
    check_week(&week, &forecast);
    let (f, g) = (&fixed.totals, &forecast.totals);
    eprintln!("fixed {f:?}\nforecast {g:?}");
    assert!(g.mean_fill_collected_pct > f.mean_fill_collected_pct);
    assert!(f.distance_km > 0.0 && g.distance_km > 0.0);
    // Fuel and CO2 from the documented factors, per day and summed over the week.
    for d in &forecast.days {
        let k = &d.kpis;
        let fuel = 0.8 * k.distance_km + 3.0 * (k.working_h - k.driving_h);
        assert!((k.fuel_l - fuel).abs() < 1e-6 && k.fuel_l > 0.0, "{k:?}");
        assert!((k.co2_kg - 2.68 * k.fuel_l).abs() < 1e-6);
    }
    let fuel: f64 = forecast.days.iter().map(|d| d.kpis.fuel_l).sum();
    assert!((g.fuel_l - fuel).abs() < 1e-6 && g.co2_kg > g.fuel_l);
    // The week's page: a selector between the territories and each day, every view a map.
    let html = forecast.to_html(graph(), &week);
    assert_eq!(html.matches("<option").count(), 1 + forecast.days.len());
    assert_eq!(html.matches("<iframe").count(), 1 + forecast.days.len());
    assert_eq!(
        html.matches("data-map-ready").count(),
        1 + forecast.days.len()
    );
    assert!(html.contains("Territories") && !html.contains("https://"));
    let by_truck: f64 = g.working_h_by_truck.values().sum();
    assert!((by_truck - g.working_h).abs() < 1e-6);
    let json = serde_json::to_value(&forecast).unwrap();
    assert!(json["days"][0]["routes"].is_array());
    assert!(json["days"][0]["unassigned"].is_array());
    for key in ["distance_km", "working_h", "overflows"] {
        assert!(json["totals"][key].is_number(), "{key}");
    }
    // A forecast per bin and day, growing and widening through the week.
    let f = &forecast.forecasts[&week.bins[0].id];
    assert_eq!(f.len(), 7);
    assert!(f[6].mean_pct >= f[0].mean_pct && f[6].sd_pct >= f[0].sd_pct);
}

#[test]
fn overflows_on_the_truth_follow_the_forecast_ones() {
    let (mut week, truth) = kerb_collect::week::sample::sample_week_with_truth(graph(), 60, 2, 7);
    week.day.options.iterations = Some(60);
    assert_eq!(truth.len(), 60);
    let mut counts = Vec::new();
    for policy in [Policy::Fixed, Policy::Forecast] {
        let plan = plan_week(graph(), &week, policy).unwrap();
        let on_truth = kerb_collect::week::true_overflows(&week, &plan, &truth);
        eprintln!(
            "{policy:?}: {} forecast, {on_truth} true overflows",
            plan.totals.overflows
        );
        counts.push(on_truth);
    }
    assert!(counts[1] < counts[0], "{counts:?}");
}

#[test]
fn replanning_mid_week_keeps_the_days_already_driven() {
    let mut week = week();
    let first = plan_week(graph(), &week, Policy::Forecast).unwrap();
    // New readings on Wednesday morning: a bin collected on Monday fills up fast.
    let id = first.days[0].plan.routes[0]
        .stops
        .iter()
        .find(|s| s.kind == StopKind::Bin)
        .map(|s| s.id.clone())
        .unwrap();
    let wednesday = week.collect_time(2) - 3.0 * 3600.0;
    week.readings.push(kerb_collect::fill::Reading {
        bin_id: id.clone(),
        timestamp: wednesday - 86_400.0,
        fill_pct: 30.0,
    });
    week.readings.push(kerb_collect::fill::Reading {
        bin_id: id.clone(),
        timestamp: wednesday,
        fill_pct: 97.0,
    });
    let again = replan_week(graph(), &week, &first, 2).unwrap();
    for w in 0..2 {
        assert_eq!(
            serde_json::to_value(&again.days[w].plan.routes).unwrap(),
            serde_json::to_value(&first.days[w].plan.routes).unwrap()
        );
    }
    assert!(
        visits(&again)[&id].contains(&2),
        "the filled bin is collected on Wednesday"
    );
    assert!(replan_week(graph(), &week, &first, 9).is_err());
}

#[test]
fn optional_bins_and_pinned_trucks_in_a_day() {
    let mut day = kerb_collect::sample_day(graph(), 12, 2, 3);
    day.options.iterations = Some(40);
    let names: Vec<String> = day.truck_names().collect();
    assert_eq!(names, ["truck-1", "truck-2"]);
    for b in &mut day.bins[..6] {
        b.truck = Some("truck-2".into());
    }
    // Worth nothing: never worth a detour.
    day.bins[11].value = Some(0.0);
    let plan = kerb_collect::plan_collection(graph(), &day).unwrap();
    for route in &plan.routes {
        for stop in route.stops.iter().filter(|s| s.kind == StopKind::Bin) {
            if day.bins[..6].iter().any(|b| b.id == stop.id) {
                assert_eq!(route.truck, "truck-2");
            }
            assert_ne!(stop.id, day.bins[11].id);
        }
    }
    day.bins[0].truck = Some("truck-9".into());
    let e = kerb_collect::plan_collection(graph(), &day).unwrap_err();
    assert!(e.to_string().contains("unknown truck"), "{e}");
}
