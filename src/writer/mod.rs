//! Writers: the laid-out document to PDF, the document model to DOCX.

pub mod bind;
pub mod docx;
pub mod pdf;
