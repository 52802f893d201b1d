"""The CRM.COM Web API v2 face: /crmapi/rest/v2/, JSON envelope, token auth."""
