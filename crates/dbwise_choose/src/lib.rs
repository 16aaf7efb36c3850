//! `dbwise choose`: an explainable database selection engine.
//!
//! A [`Brief`] states what an application needs; the [`KnowledgeBase`] states what each engine
//! offers, every claim with a source. [`choose`] eliminates engines that cannot meet a hard
//! requirement, scores the rest on the criteria the brief cares about, assembles a primary
//! store plus the side stores the brief calls for, walks the playbook's decision tree, and
//! finds which requirement would change the answer. Every conclusion carries the brief keys
//! and facts behind it.

mod assess;
mod brief;
mod choose;
mod criteria;
mod evidence;
mod explain;
mod infer;
mod kb;
mod reason;
mod sensitivity;
mod tree;
mod warnings;

pub use assess::{Assessment, ScoreLine, assess, rank, top_choice};
pub use brief::{Brief, BriefError, BriefErrors, Key, Kind, Value};
pub use choose::{Choice, Eliminated, Member, Ranked, choose};
pub use criteria::Criterion;
pub use evidence::{ObservedQuery, SchemaEvidence, SkippedStatement, signals_from_sql};
pub use explain::{Explanation, explain};
pub use infer::{InferSignals, Inferred, InferredChoice, infer_brief};
pub use kb::{Cap, Capability, Engine, Fact, KbError, KnowledgeBase, Role};
pub use reason::{FactRef, Reason};
pub use sensitivity::Sensitivity;
pub use tree::Step;
pub use warnings::{CONTRADICTION, NO_ENGINE, Warning};
