"""Training classes (培训班): built on lectures.SessionPage; see the courses issue."""
