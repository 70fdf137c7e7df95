use std::borrow::Cow;

use leptos::prelude::*;

use crate::api::my_data::{CategoryView, CellView, TableView};
use crate::i18n::{Lang, t, t_in, term, use_lang};

/// One category of "My data": what we hold, then why, how long, from where and for whom.
#[component]
pub fn CategorySection(category: CategoryView) -> impl IntoView {
    let lang = use_lang();
    // The rows move into the table's view; copying them cost a string per cell on every page.
    let mut category = category;
    let table = category.table.take();
    let key = category.key.clone();
    let heading_id = ["cat-", key.as_str(), "-title"].concat();
    let labelled_by = heading_id.clone();
    let none = t(lang, "value.none");
    view! {
        <section class="category card" id=["cat-", key.as_str()].concat() data-category=key.clone() aria-labelledby=labelled_by>
            <h2 id=heading_id>{category.title.clone()}</h2>
            {(!category.fields.is_empty()).then(|| view! {
                <dl class="fields">
                    {category.fields.into_iter().map(|(k, v)| {
                        let label = t_in(lang, "field.", &k);
                        let correct = k == "date_of_birth";
                        let change = EDITABLE.contains(&k.as_str()).then(|| ["/change/", k.as_str()].concat());
                        view! {
                            <div class="field-row" data-field=k>
                                <dt>{label}</dt>
                                <dd>
                                    <span class="value">{cell_text(lang, v, none)}</span>
                                    {correct.then(|| view! {
                                        <a class="change-link" href="/requests/new?subject=date_of_birth">
                                            {t(lang, "request.correct_link")}
                                            <span class="visually-hidden">" " {label}</span>
                                        </a>
                                    })}
                                    {change.map(|href| view! {
                                        <a class="change-link" href=href>
                                            {t(lang, "change.link")}
                                            <span class="visually-hidden">" " {label}</span>
                                        </a>
                                    })}
                                </dd>
                            </div>
                        }
                    }).collect_view()}
                </dl>
            })}
            {table.map(|table| view! { <DataTable table=table title=category.title.clone() category=key.clone()/> })}
            <p class="dispute">
                <a href=["/requests/new?subject=", key.as_str()].concat()>
                    {t(lang, "request.dispute_link")}
                    <span class="visually-hidden">" " {category.title.clone()}</span>
                </a>
            </p>
            <details class="about" open>
                <summary>{t(lang, "about.summary")}</summary>
                <dl>
                    <dt>{t(lang, "about.purpose")}</dt>
                    <dd>{category.purpose.clone()}</dd>
                    <dt>{t(lang, "about.legal_basis")}</dt>
                    <dd>{category.legal_basis.clone()}</dd>
                    <dt>{t(lang, "about.retention")}</dt>
                    <dd>{category.retention.clone()}</dd>
                    <dt>{t(lang, "about.source")}</dt>
                    <dd>{category.source.clone()}</dd>
                    <dt>{t(lang, "about.recipients")}</dt>
                    <dd>
                        {if category.recipients.is_empty() {
                            t(lang, "about.no_recipients").into_any()
                        } else {
                            view! {
                                <ul class="recipients">
                                    {category.recipients.iter().map(|r| view! {
                                        <li>
                                            {r.name.clone()}
                                            " ("
                                            {term(lang, &["role_", r.role.as_str()].concat())}
                                            ", "
                                            {r.country.clone()}
                                            ")"
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                    </dd>
                </dl>
            </details>
        </section>
    }
}

/// Fields the customer changes by themselves (confirmed by link + code).
const EDITABLE: [&str; 4] = ["full_name", "email", "phone", "preferred_language"];

/// The cell's text, moved into the page rather than copied: "My data" has hundreds of cells.
fn cell_text(lang: Lang, cell: CellView, none: &'static str) -> Cow<'static, str> {
    match cell {
        CellView::Text(s) if s.is_empty() => Cow::Borrowed(none),
        CellView::Text(s) => Cow::Owned(s),
        CellView::Term(s) => term(lang, &s),
    }
}

#[component]
fn DataTable(table: TableView, title: String, category: String) -> impl IntoView {
    let lang = use_lang();
    let none = t(lang, "value.none");
    let TableView { columns, rows, total, page, page_size, ids } = table;
    if total == 0 {
        return view! { <p class="empty">{t(lang, "value.no_records")}</p> }.into_any();
    }
    let paged = total > page_size;
    let editable = !ids.is_empty() && ids.len() == rows.len();
    let from = page * page_size + 1;
    let to = (from + rows.len() as i64 - 1).max(from);
    let last_page = (total - 1) / page_size;
    let change_label = t(lang, "change.link");
    let counter = t(lang, "table.showing")
        .replace("{from}", &from.to_string())
        .replace("{to}", &to.to_string())
        .replace("{total}", &total.to_string());
    let page_link = {
        let category = category.clone();
        move |page: i64| format!("/my-data?{category}_page={page}#cat-{category}")
    };
    view! {
        <div class="table-wrap" role="region" aria-label=title.clone() tabindex="0">
            <table>
                <caption class="visually-hidden">{title.clone()}</caption>
                <thead>
                    <tr>
                        {columns.iter().map(|c| view! { <th scope="col">{t_in(lang, "col.", c)}</th> }).collect_view()}
                        {editable.then(|| view! { <th scope="col"><span class="visually-hidden">{change_label}</span></th> })}
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().enumerate().map(|(i, row)| {
                        let change = ids.get(i).filter(|_| editable).map(|id| format!("/change/address?id={id}"));
                        view! {
                            <tr>
                                {row.into_iter().map(|c| view! { <td>{cell_text(lang, c, none)}</td> }).collect_view()}
                                {change.map(|href| view! {
                                    <td><a class="change-link" href=href>{change_label}</a></td>
                                })}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {paged.then(|| view! {
            <nav class="pager" aria-label=t(lang, "table.pages")>
                <span class="pager-count">{counter.clone()}</span>
                {(page > 0).then(|| view! {
                    <a href=page_link(page - 1) rel="prev">{t(lang, "table.newer")}</a>
                })}
                {(page < last_page).then(|| view! {
                    <a href=page_link(page + 1) rel="next">{t(lang, "table.older")}</a>
                })}
            </nav>
        })}
    }
    .into_any()
}
