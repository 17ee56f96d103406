"""Report presentation shared by the admin pages and `lecture_stats`."""
