//! Readers' personal feed tokens, their digest subscriptions, the record of each digest sent,
//! and the lease of the sending job.
//!
//! A feed token is stored as a digest only. A subscription keeps a random nonce that keys its
//! unsubscribe link, so that subscribing again makes old links stale. A delivery row is the
//! claim on one subscriber's digest of one month: its key is what makes sending once.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let belongs_to_user = |table: DynIden, column: DynIden| {
            ForeignKey::create()
                .from(table, column)
                .to(Users::Table, Users::Id)
                .on_delete(ForeignKeyAction::Cascade)
                .to_owned()
        };
        manager
            .create_table(
                Table::create()
                    .table(FeedTokens::Table)
                    .col(integer(FeedTokens::UserId).primary_key())
                    .col(string_len(FeedTokens::TokenHash, 64).unique_key())
                    .col(date(FeedTokens::CreatedOn))
                    .foreign_key(&mut belongs_to_user(
                        FeedTokens::Table.into_iden(),
                        FeedTokens::UserId.into_iden(),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DigestSubscriptions::Table)
                    .col(integer(DigestSubscriptions::UserId).primary_key())
                    .col(string_len(DigestSubscriptions::Email, 254))
                    .col(string_len(DigestSubscriptions::Nonce, 64))
                    .col(date(DigestSubscriptions::SubscribedOn))
                    .foreign_key(&mut belongs_to_user(
                        DigestSubscriptions::Table.into_iden(),
                        DigestSubscriptions::UserId.into_iden(),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DigestDeliveries::Table)
                    .col(integer(DigestDeliveries::UserId))
                    .col(string_len(DigestDeliveries::Month, 7))
                    .col(string_len(DigestDeliveries::State, 16))
                    .col(date(DigestDeliveries::ClaimedOn))
                    .primary_key(
                        Index::create()
                            .col(DigestDeliveries::UserId)
                            .col(DigestDeliveries::Month),
                    )
                    .foreign_key(&mut belongs_to_user(
                        DigestDeliveries::Table.into_iden(),
                        DigestDeliveries::UserId.into_iden(),
                    ))
                    .to_owned(),
            )
            .await?;
        let insert = Query::insert()
            .into_table(JobLeases::Table)
            .columns([
                JobLeases::Name,
                JobLeases::ExpiresAt,
                JobLeases::Fingerprint,
                JobLeases::Runs,
                JobLeases::LastRunAt,
            ])
            .values_panic([
                "digests".into(),
                0i64.into(),
                "".into(),
                0i32.into(),
                0i64.into(),
            ])
            .to_owned();
        manager.exec_stmt(insert).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let delete = Query::delete()
            .from_table(JobLeases::Table)
            .and_where(Expr::col(JobLeases::Name).eq("digests"))
            .to_owned();
        manager.exec_stmt(delete).await?;
        for table in [
            DigestDeliveries::Table.into_iden(),
            DigestSubscriptions::Table.into_iden(),
            FeedTokens::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum FeedTokens {
    Table,
    UserId,
    TokenHash,
    CreatedOn,
}

#[derive(DeriveIden)]
enum DigestSubscriptions {
    Table,
    UserId,
    Email,
    Nonce,
    SubscribedOn,
}

#[derive(DeriveIden)]
enum DigestDeliveries {
    Table,
    UserId,
    Month,
    State,
    ClaimedOn,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum JobLeases {
    Table,
    Name,
    ExpiresAt,
    Fingerprint,
    Runs,
    LastRunAt,
}
