"""Reference data: jurisdictions, departments and industries, imported as versioned data sets."""
