"""Major-hazard judgment standards (重大事故隐患判定标准) as versioned reference data."""
