//! Text repair and comparison shared by the stages: mojibake repair (load) and fact folding
//! (profiles).

pub mod fact_words;
pub mod facts;
pub mod mojibake;
