//! The OpenAPI 3 document, generated from the handlers' annotations and the response types.

use crate::error::ErrorBody;
use crate::handlers::{self, Health};
use axum::Json;
use kerb_api::matching::{MatchResponse, Matching, Tracepoint};
use kerb_api::osrm::{
    Annotation, AnnotationMetadata, Intersection, NearestResponse, OkCode, Route, RouteLeg,
    RouteResponse, RouteStep, StepManeuver, TableResponse, Waypoint,
};
use kerb_api::trip::{TripResponse, TripWaypoint};
use utoipa::OpenApi;

/// The API description served at `/openapi.json`.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "kerb HTTP API",
        description = "OSRM v1 compatible routing (route, table, nearest, match) and vehicle-routing plans"
    ),
    paths(
        handlers::route_get,
        handlers::route_post,
        handlers::table_get,
        handlers::table_post,
        handlers::nearest_get,
        handlers::trip_get,
        handlers::match_get,
        handlers::match_post,
        crate::isochrone::isochrone_get,
        crate::plan::plan,
        crate::plan::plan_week,
        handlers::health,
        handlers::ready
    ),
    components(schemas(
        ErrorBody,
        crate::plan::VroomErrorBody,
        Health,
        OkCode,
        Waypoint,
        RouteResponse,
        Route,
        RouteLeg,
        RouteStep,
        StepManeuver,
        Intersection,
        Annotation,
        AnnotationMetadata,
        TableResponse,
        NearestResponse,
        TripResponse,
        TripWaypoint,
        MatchResponse,
        Matching,
        Tracepoint
    ))
)]
pub(crate) struct ApiDoc;

/// `GET /openapi.json`.
pub(crate) async fn serve() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
