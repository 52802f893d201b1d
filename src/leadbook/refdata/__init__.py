"""Reference data as code (`leadbook config apply|export`) and the demo data set."""
