"""Documents officials open: workbooks laid out for print and PDFs with the Chinese font embedded."""
