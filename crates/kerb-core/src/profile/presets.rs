//! The built-in profiles: the JSON files in the repository's `profiles/` folder, embedded at
//! compile time and parsed once, so the presets are data a user can copy and edit. Speeds and
//! access rules after OSRM's car profile and GraphHopper's truck profile.

use std::path::Path;
use std::sync::OnceLock;

use super::types::*;
use crate::error::{Error, Result};

/// The preset files, by the name `Profile::by_name` knows them under.
const PRESETS: [(&str, &str); 4] = [
    ("car", include_str!("../../../../profiles/car.json")),
    ("truck", include_str!("../../../../profiles/truck.json")),
    (
        "refuse-7.5t",
        include_str!("../../../../profiles/refuse-7.5t.json"),
    ),
    (
        "refuse-32t",
        include_str!("../../../../profiles/refuse-32t.json"),
    ),
];

/// Other names of presets: `hgv` (the OSM key) and `truck-7.5t` (the file's name before it
/// became the `refuse-7.5t` preset).
const ALIASES: [(&str, &str); 2] = [("hgv", "truck"), ("truck-7.5t", "refuse-7.5t")];

/// The parsed presets, in [`PRESETS`] order.
fn presets() -> &'static [Profile] {
    static PARSED: OnceLock<Vec<Profile>> = OnceLock::new();
    PARSED.get_or_init(|| {
        PRESETS
            .iter()
            .map(|(name, text)| {
                // The files are part of the build and a unit test parses each one, so a bad
                // preset fails `cargo test`, never a user's import.
                let p = Profile::from_json(text)
                    .unwrap_or_else(|e| panic!("built-in profile {name}: {e}"));
                assert_eq!(&p.name, name, "preset file name and profile name differ");
                p
            })
            .collect()
    })
}

impl Profile {
    /// Names of the built-in profiles (`profiles/*.json`): `car`, `truck`, `refuse-7.5t`,
    /// `refuse-32t`.
    pub const PRESETS: [&'static str; 4] = [PRESETS[0].0, PRESETS[1].0, PRESETS[2].0, PRESETS[3].0];

    /// A passenger car (`profiles/car.json`: speeds, surface caps and turn model after
    /// OSRM's `car.lua`).
    pub fn car() -> Self {
        presets()[0].clone()
    }

    /// A refuse truck (`profiles/truck.json`): 26 t, 3.8 m high, 2.55 m wide, 10 m long,
    /// 80 km/h top speed, no U-turns except at dead ends.
    ///
    /// ```
    /// use kerb_core::{Profile, UTurnPolicy};
    /// let t = Profile::truck();
    /// assert_eq!(t.vehicle.weight_kg, 26_000.0);
    /// assert_eq!(t.turn_costs.u_turn, UTurnPolicy::DeadEndOnly);
    /// ```
    pub fn truck() -> Self {
        presets()[1].clone()
    }

    /// A built-in profile by name: one of [`Profile::PRESETS`], or the aliases `hgv`
    /// (`truck`) and `truck-7.5t` (`refuse-7.5t`).
    ///
    /// ```
    /// use kerb_core::Profile;
    /// assert_eq!(Profile::by_name("refuse-32t")?.vehicle.weight_kg, 32_000.0);
    /// assert_eq!(Profile::by_name("truck-7.5t")?.name, "refuse-7.5t");
    /// assert!(Profile::by_name("bicycle").is_err());
    /// # Ok::<(), kerb_core::Error>(())
    /// ```
    pub fn by_name(name: &str) -> Result<Self> {
        let name = ALIASES
            .iter()
            .find(|(alias, _)| *alias == name)
            .map_or(name, |(_, target)| target);
        presets()
            .iter()
            .find(|p| p.name == name)
            .cloned()
            .ok_or_else(|| Error::UnknownProfile(name.to_string()))
    }

    /// Reads and validates a profile file (JSON, the format of `profiles/README.md`).
    ///
    /// Errors: [`Error::ProfileFile`] naming the file and, for a bad file, the key.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let file_error = |reason: String| Error::ProfileFile {
            path: path.display().to_string(),
            reason,
        };
        let text = std::fs::read_to_string(path).map_err(|e| file_error(e.to_string()))?;
        Profile::from_json(&text).map_err(|e| match e {
            Error::InvalidProfile(reason) => file_error(reason),
            other => file_error(other.to_string()),
        })
    }

    /// The one reading of a `--profile` / `profile=` argument every front end shares: JSON
    /// text (starting with `{`), a built-in name ([`Profile::by_name`]), or the path of a
    /// profile file ([`Profile::from_file`]).
    ///
    /// ```
    /// # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).unwrap();
    /// use kerb_core::{Error, Profile};
    /// assert_eq!(Profile::resolve("refuse-7.5t")?.vehicle.weight_kg, 7_500.0);
    /// assert_eq!(Profile::resolve("profiles/refuse-32t.json")?, Profile::by_name("refuse-32t")?);
    /// let text = serde_json::to_string(&Profile::car()).unwrap();
    /// assert_eq!(Profile::resolve(&text)?, Profile::car());
    /// assert!(matches!(Profile::resolve("boat"), Err(Error::UnknownProfile(_))));
    /// assert!(matches!(Profile::resolve("no/such.json"), Err(Error::ProfileFile { .. })));
    /// # Ok::<(), kerb_core::Error>(())
    /// ```
    pub fn resolve(spec: &str) -> Result<Self> {
        if spec.trim_start().starts_with('{') {
            return Profile::from_json(spec);
        }
        match Profile::by_name(spec) {
            Ok(p) => Ok(p),
            Err(_) if looks_like_path(spec) => Profile::from_file(spec),
            Err(e) => Err(e),
        }
    }
}

/// A `--profile` value that names a file rather than a preset: an existing file, a `.json`
/// name, or anything with a path separator.
fn looks_like_path(spec: &str) -> bool {
    let path = Path::new(spec);
    path.is_file()
        || path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        || spec.contains(std::path::MAIN_SEPARATOR)
        || spec.contains('/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_file_parses_under_its_name() {
        for name in Profile::PRESETS {
            let p = Profile::by_name(name).unwrap();
            assert_eq!(p.name, name);
            assert!(p.validate().is_ok());
        }
        assert_eq!(Profile::by_name("hgv").unwrap(), Profile::truck());
        assert!(matches!(
            Profile::by_name("boat"),
            Err(Error::UnknownProfile(_))
        ));
    }

    #[test]
    fn presets_keep_their_documented_vehicles() {
        let t = Profile::truck();
        assert_eq!(
            (
                t.vehicle.weight_kg,
                t.vehicle.height_m,
                t.vehicle.width_m,
                t.vehicle.length_m
            ),
            (26_000.0, 3.8, 2.55, 10.0)
        );
        let car = Profile::car();
        assert_eq!(car.vehicle.weight_kg, 1500.0);
        assert_eq!(car.turn_costs.u_turn, UTurnPolicy::Allowed);
        // OSRM car.lua's surface table.
        assert_eq!(car.surface_speeds_kmh["cobblestone"], 30.0);
        assert_eq!(car.tracktype_speeds_kmh["grade5"], 20.0);
        assert_eq!(car.smoothness_speeds_kmh["impassable"], 0.0);
        assert!(!car.surface_speeds_kmh.contains_key("asphalt"));
        let big = Profile::by_name("refuse-32t").unwrap();
        assert_eq!(big.vehicle.axle_load_kg, Some(9_500.0));
        let small = Profile::by_name("refuse-7.5t").unwrap();
        assert!(small.vehicle.weight_kg < big.vehicle.weight_kg);
        assert!(small.speeds_kmh.contains_key(&RoadClass::Pedestrian));
    }
}
