//! One message layout, as an HTML part and a plain-text part (askama escapes the HTML one).
//! Each kind of mail fills a [`Message`] in [`super::messages`].

use askama::Template;

use super::Mail;
use crate::{Error, Lang, Result};

/// What a mail says, already in the recipient's language.
#[derive(Debug, Clone)]
pub struct Message {
    pub lang: Lang,
    pub subject: String,
    pub greeting: String,
    pub paragraphs: Vec<String>,
    /// A labelled value shown on its own ("New phone number: +34 …").
    pub value: Option<Labelled>,
    pub action: Option<Action>,
    pub after_action: Vec<String>,
    pub footer: String,
}

#[derive(Debug, Clone)]
pub struct Labelled {
    pub label: String,
    pub value: String,
}

#[derive(Debug, Clone)]
pub struct Action {
    pub label: String,
    pub url: String,
}

#[derive(Template)]
#[template(path = "mail/message.txt")]
struct TextPart<'a> {
    m: &'a Message,
}

#[derive(Template)]
#[template(path = "mail/message.html")]
struct HtmlPart<'a> {
    m: &'a Message,
    lang: &'a str,
}

pub fn render(to: &str, m: &Message) -> Result<Mail> {
    let text = TextPart { m }.render().map_err(|_| Error::Internal("mail template (text)"))?;
    let html = HtmlPart { m, lang: m.lang.code() }
        .render()
        .map_err(|_| Error::Internal("mail template (html)"))?;
    Ok(Mail { to: to.to_string(), subject: m.subject.clone(), text, html })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_part_escapes_what_customers_typed() {
        let m = Message {
            lang: Lang::En,
            subject: "s".into(),
            greeting: "Hello <b>Eve</b>,".into(),
            paragraphs: vec!["a & b".into()],
            value: Some(Labelled { label: "Name".into(), value: "<script>x</script>".into() }),
            action: Some(Action { label: "Go".into(), url: "https://x.test/confirm/abc?a=1&b=2".into() }),
            after_action: vec![],
            footer: "f".into(),
        };
        let mail = render("a@b.test", &m).unwrap();
        assert!(mail.html.contains("&#60;script&#62;x&#60;/script&#62;"), "{}", mail.html);
        assert!(!mail.html.contains("<b>Eve</b>"));
        assert!(mail.html.contains("href=\"https://x.test/confirm/abc?a=1&#38;b=2\""));
        assert!(mail.text.contains("<script>x</script>"), "text part is not HTML");
        assert!(mail.text.contains("https://x.test/confirm/abc?a=1&b=2"));
    }
}
