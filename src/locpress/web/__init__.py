"""Web pages: the HTML renderer of releases, the dashboard, review sheets and their templates."""
