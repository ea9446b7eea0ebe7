"""Who may see what: principals and roles, accounts, the audit log and retention."""
