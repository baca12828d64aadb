"""Generated scale data (`society-saas seed`) and measured figures (`society-saas bench`)."""
