"""Annual enforcement plans (年度执法计划) and actual against plan by month."""
