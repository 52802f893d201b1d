"""The rules of Leadbook: every face (CRM.COM JSON, XML, web, CLI) calls into here."""
