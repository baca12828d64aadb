"""Members: classes, applications, the ledger, the member portal, import and export."""
