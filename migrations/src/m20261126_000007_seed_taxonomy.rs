//! Seeds the contributing-factor taxonomy with defaults for communication mistakes. Admins can
//! edit it afterwards; the slugs are what imports and the API use.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (slug, name, description) of each system category, in display order.
const CATEGORIES: &[(&str, &str, &str)] = &[
    (
        "people_workload",
        "People & workload",
        "How much was asked of people at the time, and how familiar the task was.",
    ),
    (
        "process_policy",
        "Process & policy",
        "Review steps, approvals, guidelines and release processes.",
    ),
    (
        "tools_channels",
        "Tools & channels",
        "What the software and channels made easy, hard or invisible.",
    ),
    (
        "information_content",
        "Information & content",
        "The state of the words, files and facts being communicated.",
    ),
    (
        "culture_environment",
        "Culture & environment",
        "Norms, pressures and relationships around the work.",
    ),
];

/// (category slug, factor slug, name, description).
const FACTORS: &[(&str, &str, &str, &str)] = &[
    (
        "people_workload",
        "time_pressure",
        "Time pressure",
        "A deadline or a queue left little room to pause and check.",
    ),
    (
        "people_workload",
        "interruptions",
        "Interruptions and multitasking",
        "Attention was split between tasks when it happened.",
    ),
    (
        "people_workload",
        "fatigue",
        "Fatigue or long hours",
        "It happened late, after a long day, or during a busy period.",
    ),
    (
        "people_workload",
        "new_to_role",
        "New to the role or channel",
        "The task, tool or audience was unfamiliar.",
    ),
    (
        "people_workload",
        "handover_gap",
        "Handover or cover gap",
        "Work changed hands and something did not travel with it.",
    ),
    (
        "process_policy",
        "no_review_step",
        "No second pair of eyes",
        "Nothing in the process asked for a check before sending or publishing.",
    ),
    (
        "process_policy",
        "unclear_approval",
        "Unclear approval",
        "It was not clear who had to sign off, or sign-off was implied.",
    ),
    (
        "process_policy",
        "unclear_guideline",
        "Guideline missing or unclear",
        "No guideline covered the situation, or it was hard to apply.",
    ),
    (
        "process_policy",
        "embargo_process",
        "Embargo or release process",
        "The way embargoed or timed content was handled allowed an early release.",
    ),
    (
        "process_policy",
        "no_escalation_path",
        "No escalation path",
        "There was no obvious person or route to ask when unsure.",
    ),
    (
        "tools_channels",
        "autocomplete",
        "Autocomplete and suggestions",
        "The tool suggested a recipient, list or text that looked right.",
    ),
    (
        "tools_channels",
        "reply_all_default",
        "Reply-all and list defaults",
        "Distribution lists or reply-all reached far more people than intended.",
    ),
    (
        "tools_channels",
        "shared_accounts",
        "Several accounts on one device",
        "Official and personal accounts sat side by side in the same app.",
    ),
    (
        "tools_channels",
        "similar_names",
        "Similar names",
        "Lists, files, channels or people had names that were easy to confuse.",
    ),
    (
        "tools_channels",
        "unsafe_defaults",
        "Unsafe default settings",
        "The default visibility, sharing or audience of the tool was wider than needed.",
    ),
    (
        "tools_channels",
        "scheduled_publishing",
        "Scheduled publishing",
        "A scheduling or publishing tool released something at the wrong moment.",
    ),
    (
        "information_content",
        "outdated_information",
        "Outdated or conflicting information",
        "The source material was out of date or contradicted itself.",
    ),
    (
        "information_content",
        "draft_final_mixup",
        "Draft and final mixed up",
        "A draft, an old version or the wrong file went out.",
    ),
    (
        "information_content",
        "hidden_metadata",
        "Hidden content or metadata",
        "Tracked changes, comments, hidden sheets or metadata carried more than was visible.",
    ),
    (
        "information_content",
        "jargon",
        "Jargon or unclear wording",
        "The wording made sense inside the organisation but not to the audience.",
    ),
    (
        "information_content",
        "missing_context",
        "Missing context",
        "The audience lacked context that the writer took for granted.",
    ),
    (
        "culture_environment",
        "hesitant_to_ask",
        "Hesitant to ask or speak up",
        "Asking or raising a doubt felt costly.",
    ),
    (
        "culture_environment",
        "unclear_tone_norms",
        "Unclear tone for the channel",
        "What tone suits the channel and audience was not shared knowledge.",
    ),
    (
        "culture_environment",
        "public_pressure",
        "Public or media pressure",
        "Public attention or a news cycle pushed for a fast answer.",
    ),
    (
        "culture_environment",
        "working_in_silos",
        "Working in silos",
        "Teams that needed to talk to each other did not.",
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let mut categories = Query::insert()
            .into_table(FactorCategories::Table)
            .columns([
                FactorCategories::Slug,
                FactorCategories::Name,
                FactorCategories::Description,
                FactorCategories::Position,
            ])
            .to_owned();
        for (position, (slug, name, description)) in (1i32..).zip(CATEGORIES) {
            categories
                .values([
                    (*slug).into(),
                    (*name).into(),
                    (*description).into(),
                    position.into(),
                ])
                .map_err(|e| DbErr::Migration(e.to_string()))?;
        }
        db.execute(&categories).await?;

        let mut factors = Query::insert()
            .into_table(Factors::Table)
            .columns([
                Factors::Slug,
                Factors::Name,
                Factors::Description,
                Factors::CategoryId,
                Factors::Active,
            ])
            .to_owned();
        for (category, slug, name, description) in FACTORS {
            // The category's id is looked up rather than assumed, so that the serial counters
            // stay in step on PostgreSQL.
            let category_id = Query::select()
                .column(FactorCategories::Id)
                .from(FactorCategories::Table)
                .and_where(Expr::col(FactorCategories::Slug).eq(*category))
                .to_owned();
            factors
                .values([
                    (*slug).into(),
                    (*name).into(),
                    (*description).into(),
                    SimpleExpr::SubQuery(None, Box::new(category_id.into_sub_query_statement())),
                    true.into(),
                ])
                .map_err(|e| DbErr::Migration(e.to_string()))?;
        }
        db.execute(&factors).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute(&Query::delete().from_table(Factors::Table).to_owned())
            .await?;
        db.execute(
            &Query::delete()
                .from_table(FactorCategories::Table)
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}

#[derive(DeriveIden)]
enum FactorCategories {
    Table,
    Id,
    Slug,
    Name,
    Description,
    Position,
}

#[derive(DeriveIden)]
enum Factors {
    Table,
    Slug,
    Name,
    Description,
    CategoryId,
    Active,
}
