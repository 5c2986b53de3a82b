DROP TABLE credit_note_documents;
