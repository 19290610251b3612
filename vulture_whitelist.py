"""Names vulture cannot see used, with who uses them. Read by vulture, never run.

Everything else vulture reports in tracker/ is dead and goes (`make lint` fails on it).
"""

# ruff: noqa: B018, F821

# Read by templates (vulture reads only Python).
_.has_previous, _.has_next, _.first_index, _.last_index  # pagination.Page: the pager
_.count_limit, _.is_first  # pagination.SeekPage: the seek_summary and seek_pager macros
_.selected_label, _.unshown_errors  # params: the filter form macros
_.legend, _.prefetch, _.month_index  # maps.views.MapView: the map templates
_.due, _.chart, _.recent_letters  # dashboard.services.Dashboard
_.details, _.deferral_id, _.correction_note  # jurisdictions.timeline.TimelineEntry
_.known_at_text  # maps.views.MapView: the map template's links
_.sib_meeting_on, _.local_briefing_on, _.advance_notice_on, _.open_letters, _.ready_count
_.first_briefed_on  # readiness.services: the readiness pages
_.not_scheduled, _.percent_activated  # overview.figures, states.services
_.rows_for_review, _.written, _.written_headings  # plan.importing.preview: the preview page
_.confirm_endpoint  # plan.importing.web.ImportPages: the preview page's form
_.outcomes  # dashboard.services.Dashboard: the dashboard's outcomes section
_.activity_chart, _.outcome_chart, _.activity_series, _.outcome_series  # outcomes.monthly
_.carried_over, _.flagged_again, _.has_data  # outcomes.review: the review page
_.level1, _.level2, _.level3, _.non_criminal, _.identifications  # outcomes.services.Totals
_.flags  # deferrals.log.LogRow: the digest's text (templates/digest/digest.txt)

# Called by the frameworks we subclass or configure.
_.process_formdata, _.pre_validate, _._value, _.field_flags, _.Meta  # WTForms fields and forms
_.load_config, _.load  # gunicorn's BaseApplication (serve.TrackerServer)
_.handle_starttag, _.handle_endtag, _.handle_data  # html.parser.HTMLParser (correspondence.parsing)
_.list_commands, _.get_command  # click.Group (cli.TrackerGroup)
_.login_view, _.session_protection  # Flask-Login
_.permanent  # Flask's session
_.data_type, _.quotePrefix  # openpyxl cells: a formula-like text written as a marked text cell
_.col_counter  # openpyxl's WorkSheetParser.parse_cell reads it (plan.importing.reader)
_.trim_blocks, _.lstrip_blocks  # Jinja
_.metadata, _.updated_at, _.isolation_level  # SQLAlchemy declarative base, sqlite3 connection
_.required_role  # read by tests/security/test_authorization_matrix.py from every view
_.help  # config.Setting: shown by the settings documentation test
_.enum_column_type  # the models' column type (models are not scanned)
_.partial_index  # db: the models' indexes over the rows in force (models are not scanned)
_.keep_versions  # corrections.versions: called by the models of letters, briefings and states
_.superseded_by_id  # corrections.services.supersede: the correction a fact was superseded by
_.validate_scheduled_on  # WTForms calls validate_<field> (jurisdictions.forms)
flush_context, connection_record, instances  # SQLAlchemy event listener signatures
type_, parent_names  # Alembic's include_name hook signature (db.described_by_models)

# Read by migrations (not scanned).
MIGRATION_LAST_DAY  # calendar.services: the span the calendar migration fills

# Set on model rows, which SQLAlchemy writes.
_.withdrawn_by_id  # outcomes.publication

# Set on library objects, which read them.
_.font, _.number_format, _.freeze_panes, _.print_title_rows  # openpyxl cells and sheets
_.subject, _.creator, _.modified, _.lastModifiedBy  # openpyxl document properties
_.compress_type, _.external_attr  # zipfile.ZipInfo
_.YMDhms, _._timeStamp  # reportlab's document clock
_._name, _.config_json, _.default_js, _.default_css  # Folium / branca elements

# Written by services, read by SQL and templates (the model's own module is not scanned).
_.decided_by_id  # correspondence.models.IntakeDraft: who confirmed or discarded a draft
