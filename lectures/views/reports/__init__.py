"""The 统计 (statistics) pages of the admin: network, lecturers, trainees."""
