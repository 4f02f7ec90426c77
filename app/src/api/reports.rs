//! `/v1/reports`: logging a mistake and reading a published lesson.

use poem::{Request, web::Data};
use poem_openapi::{ApiResponse, Object, OpenApi, param::Path, payload::Json};
use serde::Deserialize;

use super::{ApiJson, ApiProblem, auth};
use crate::{
    codes::ReportRef,
    services::{
        reports::{self, ReportInput, ReportView},
        signals,
    },
    state::AppState,
    vocabulary::{Audience, Channel, Impact, Status},
};

pub struct ReportsApi;

/// A mistake or near miss to log. Nothing about the sender is stored with it.
#[derive(Debug, Object, Deserialize)]
#[oai(rename = "NewReport")]
#[serde(deny_unknown_fields)]
pub struct NewReport {
    /// A short title, at most 200 characters, not blank; no control characters but tabs and
    /// line breaks in any text.
    #[oai(validator(
        max_length = 200,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*[^\x00-\x20\x7F-\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000][^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    ))]
    pub title: String,
    /// What happened: the situation, not the people. At most 50,000 characters, not blank.
    #[oai(validator(
        max_length = 50000,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*[^\x00-\x20\x7F-\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000][^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    ))]
    pub narrative: String,
    pub channel: Channel,
    pub impact: Impact,
    #[oai(nullable)]
    pub audience: Option<Audience>,
    /// Contributing-factor slugs from `GET /v1/factors`, at most 8.
    #[oai(default, validator(max_items = 8))]
    #[serde(default)]
    pub factors: Vec<String>,
    /// What limited the damage or caught it in time. At most 10,000 characters.
    #[oai(
        nullable,
        validator(
            max_length = 10000,
            pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
        )
    )]
    pub what_helped: Option<String>,
    /// What would help someone avoid this. At most 10,000 characters.
    #[oai(
        nullable,
        validator(
            max_length = 10000,
            pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
        )
    )]
    pub lesson: Option<String>,
    /// An existing unit's path from `GET /v1/units`, as broad as the reporter likes.
    #[oai(
        nullable,
        validator(
            max_length = 600,
            pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
        )
    )]
    pub unit: Option<String>,
    /// `YYYY-MM` (a day, if given, is dropped): a real month, from 1990 to this month.
    #[oai(
        nullable,
        validator(pattern = r"^([0-9]{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$")
    )]
    pub occurred_on: Option<String>,
    /// At most 12 tags of at most 40 letters, digits, spaces and `-_/.&+#`; they are stored
    /// in lower case, with spaces as dashes.
    #[oai(
        default,
        validator(
            max_items = 12,
            max_length = 40,
            pattern = r"^(?:[^\W\u0130]|[ \-/.&+#])*$"
        )
    )]
    #[serde(default)]
    pub tags: Vec<String>,
}

impl From<NewReport> for ReportInput {
    fn from(report: NewReport) -> Self {
        Self {
            title: report.title,
            narrative: report.narrative,
            channel: Some(report.channel.slug().to_owned()),
            audience: report.audience.map(|a| a.slug().to_owned()),
            impact: Some(report.impact.slug().to_owned()),
            factors: report.factors,
            what_helped: report.what_helped.unwrap_or_default(),
            lesson: report.lesson.unwrap_or_default(),
            unit: report.unit,
            occurred_on: report.occurred_on,
            tags: report.tags,
            source_url: None,
        }
    }
}

/// The answer to a new report. The receipt is shown this once and never again.
#[derive(Debug, Object)]
pub struct CreatedReport {
    /// The report's random public reference.
    #[oai(rename = "ref")]
    pub report_ref: String,
    /// The reporter's receipt code (140 random bits), the only key to the report.
    pub receipt: String,
    pub status: Status,
}

#[derive(ApiResponse)]
pub enum CreateReportResponse {
    /// Logged. Keep the receipt: it cannot be recovered.
    #[oai(status = 201)]
    Created(Json<CreatedReport>),
}

#[derive(Debug, Object)]
pub struct FactorBody {
    pub slug: String,
    pub name: String,
    pub category: String,
}

/// A published report: a shared lesson. Optional fields are left out when they have no value.
#[derive(Debug, Object)]
#[oai(rename = "Report", skip_serializing_if_is_none)]
pub struct ReportBody {
    #[oai(rename = "ref")]
    pub report_ref: String,
    pub title: String,
    pub narrative: String,
    pub channel: Option<Channel>,
    pub audience: Option<Audience>,
    pub impact: Option<Impact>,
    pub factors: Vec<FactorBody>,
    pub what_helped: String,
    pub lesson: String,
    pub unit: Option<String>,
    /// `YYYY-MM`.
    pub occurred_month: Option<String>,
    /// `YYYY-MM`: when it was logged, to the month.
    pub logged_month: String,
    pub tags: Vec<String>,
    pub source_url: Option<String>,
    /// This report, the reports merged into it and readers' "happened to us too".
    pub occurrences: u64,
    /// Readers who said it helped them.
    pub helped: u64,
}

impl From<ReportView> for ReportBody {
    fn from(view: ReportView) -> Self {
        Self {
            report_ref: view.report_ref,
            title: view.title,
            narrative: view.narrative,
            channel: view.channel,
            audience: view.audience,
            impact: view.impact,
            factors: view
                .factors
                .into_iter()
                .map(|f| FactorBody {
                    slug: f.slug,
                    name: f.name,
                    category: f.category,
                })
                .collect(),
            what_helped: view.what_helped,
            lesson: view.lesson,
            unit: view.unit,
            occurred_month: view.occurred_month,
            logged_month: view.logged_month,
            tags: view.tags,
            source_url: view.source_url,
            occurrences: 1,
            helped: 0,
        }
    }
}

#[OpenApi(prefix_path = "/v1")]
impl ReportsApi {
    /// Log a mistake or near miss, anonymously.
    ///
    /// Needs no account. The answer holds the receipt code, shown this once.
    #[oai(path = "/reports", method = "post", operation_id = "create_report")]
    async fn create_report(
        &self,
        state: Data<&AppState>,
        req: &Request,
        body: ApiJson<NewReport>,
    ) -> Result<CreateReportResponse, ApiProblem> {
        // The address is used only here, hashed with a salt that lives in memory for a day.
        let address = req.remote_addr().as_socket_addr().map(|a| a.ip());
        state.submission_limits.admit(address)?;
        let created = reports::create(&state.db, &state.receipts, body.0.into()).await?;
        Ok(CreateReportResponse::Created(Json(CreatedReport {
            report_ref: created.report_ref,
            receipt: created.receipt.display(),
            status: created.status,
        })))
    }

    /// Read a published report.
    ///
    /// Reports that are not published answer 404, exactly like reports that do not exist.
    #[oai(path = "/reports/:ref", method = "get", operation_id = "get_report")]
    async fn get_report(
        &self,
        state: Data<&AppState>,
        req: &Request,
        #[oai(name = "ref")] report_ref: Path<String>,
    ) -> Result<Json<ReportBody>, ApiProblem> {
        auth::readers(req, &state)?;
        let report_ref: ReportRef = report_ref.parse()?;
        let report = reports::get_published(&state.db, &report_ref).await?;
        let counts = signals::counts(&state.db, &report_ref).await?;
        let mut body = ReportBody::from(report);
        body.occurrences = counts.occurrences;
        body.helped = counts.helped;
        Ok(Json(body))
    }
}
