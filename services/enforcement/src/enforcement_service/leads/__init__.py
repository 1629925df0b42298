"""Case leads (案件线索) opened from overdue major hazards."""
