//! A GPS trace: positions with optional timestamps and per-point accuracy, checked on
//! construction so the matcher never sees a NaN or time running backwards.

use kerb_core::Point;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// One GPS fix.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct TracePoint {
    /// Position (lon, lat).
    pub point: Point<f64>,
    /// Seconds (Unix time, or since midnight for generated traces), if known.
    pub time_s: Option<f64>,
    /// Horizontal accuracy (one standard deviation) in metres, if the receiver gave one.
    pub accuracy_m: Option<f64>,
}

impl TracePoint {
    /// A fix at `(lon, lat)` without time or accuracy.
    pub fn new(lon: f64, lat: f64) -> Self {
        TracePoint {
            point: Point::new(lon, lat),
            time_s: None,
            accuracy_m: None,
        }
    }

    /// Sets the timestamp.
    pub fn with_time_s(mut self, time_s: f64) -> Self {
        self.time_s = Some(time_s);
        self
    }

    /// Sets the accuracy.
    pub fn with_accuracy_m(mut self, accuracy_m: f64) -> Self {
        self.accuracy_m = Some(accuracy_m);
        self
    }
}

/// A checked sequence of fixes: at least two, valid coordinates, timestamps non-decreasing
/// where present.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Trace {
    points: Vec<TracePoint>,
}

impl Trace {
    /// Checks and wraps the points.
    ///
    /// ```
    /// use kerb_match::{Trace, TracePoint};
    /// let t = Trace::new(vec![TracePoint::new(24.94, 60.17), TracePoint::new(24.95, 60.17)])?;
    /// assert_eq!(t.len(), 2);
    /// assert!(Trace::new(vec![TracePoint::new(240.0, 60.0)]).is_err());
    /// # Ok::<(), kerb_match::Error>(())
    /// ```
    pub fn new(points: Vec<TracePoint>) -> Result<Trace> {
        let mut last_time: Option<f64> = None;
        for (index, p) in points.iter().enumerate() {
            let (lon, lat) = (p.point.x(), p.point.y());
            if !(lon.is_finite() && lat.is_finite() && lon.abs() <= 180.0 && lat.abs() <= 90.0) {
                return Err(Error::InvalidCoordinate { index, lon, lat });
            }
            if let Some(a) = p.accuracy_m {
                if !(a.is_finite() && a >= 0.0) {
                    return Err(Error::Parse {
                        format: "trace",
                        location: format!("point {index}"),
                        reason: format!("accuracy {a} is not a non-negative number"),
                    });
                }
            }
            if let Some(t) = p.time_s {
                if !t.is_finite() {
                    return Err(Error::Parse {
                        format: "trace",
                        location: format!("point {index}"),
                        reason: format!("timestamp {t} is not finite"),
                    });
                }
                if last_time.is_some_and(|l| t < l) {
                    return Err(Error::TimeBackwards { index, time_s: t });
                }
                last_time = Some(t);
            }
        }
        if points.len() < 2 {
            return Err(Error::TooShort {
                points: points.len(),
            });
        }
        Ok(Trace { points })
    }

    /// The fixes in order.
    pub fn points(&self) -> &[TracePoint] {
        &self.points
    }

    /// Number of fixes.
    pub fn len(&self) -> usize {
        self.points.len()
    }

    /// Always `false`: a trace has at least two points (for clippy's `len_without_is_empty`).
    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }
}
