//! What mails say, in English, Spanish and Italian. One row per text with all three languages,
//! so a language cannot lack a text. `{name}`-style slots are filled by [`fill`].

use crate::Lang;

const TEXTS: &[(&str, [&str; 3])] = &[
    ("greeting", ["Hello {name},", "Hola, {name}:", "Gentile {name},"]),
    (
        "footer",
        [
            "Sent by Custodia, the privacy portal of your account. We never ask for your password or codes by email.",
            "Enviado por Custodia, el portal de privacidad de tu cuenta. Nunca te pediremos la contraseña ni códigos por correo.",
            "Inviato da Custodia, il portale privacy del tuo account. Non chiediamo mai password o codici via email.",
        ],
    ),
    // Confirming a change.
    ("confirm.subject", ["Confirm the change to your {field}", "Confirma el cambio de tu {field}", "Conferma la modifica di {field}"]),
    (
        "confirm.intro",
        [
            "You asked to change your {field}. Nothing has changed yet.",
            "Has pedido cambiar tu {field}. Todavía no ha cambiado nada.",
            "Hai chiesto di modificare {field}. Per ora non è cambiato nulla.",
        ],
    ),
    ("confirm.new_value", ["New value", "Nuevo valor", "Nuovo valore"]),
    ("confirm.action", ["Review and confirm", "Revisar y confirmar", "Controlla e conferma"]),
    (
        "confirm.how",
        [
            "The link works once, for {minutes} minutes. After opening it, enter a code from your authenticator app (or one of your recovery codes).",
            "El enlace funciona una sola vez, durante {minutes} minutos. Después de abrirlo, introduce un código de tu aplicación de autenticación (o uno de tus códigos de recuperación).",
            "Il link funziona una sola volta, per {minutes} minuti. Dopo averlo aperto, inserisci un codice della tua app di autenticazione (o uno dei tuoi codici di recupero).",
        ],
    ),
    (
        "confirm.ignore",
        [
            "Did not ask for this? Ignore this message and nothing will change; consider changing your password.",
            "¿No lo has pedido tú? Ignora este mensaje y no cambiará nada; te recomendamos cambiar tu contraseña.",
            "Non sei stato tu? Ignora questo messaggio e non cambierà nulla; ti consigliamo di cambiare la password.",
        ],
    ),
    // After a change.
    ("changed.subject", ["Your {field} was changed", "Tu {field} ha cambiado", "{field} è stato modificato"]),
    (
        "changed.intro",
        [
            "Your {field} was changed on {when}, confirmed with your authenticator.",
            "Tu {field} cambió el {when}, con la confirmación de tu aplicación de autenticación.",
            "{field} è stato modificato il {when}, con la conferma della tua app di autenticazione.",
        ],
    ),
    (
        "changed.not_you",
        [
            "Not you? Sign in, change your password and reply to this message at once so we can help.",
            "¿No has sido tú? Inicia sesión, cambia tu contraseña y responde a este mensaje enseguida para que te ayudemos.",
            "Non sei stato tu? Accedi, cambia la password e rispondi subito a questo messaggio per ricevere aiuto.",
        ],
    ),
    // The old address after an email change.
    (
        "email_changed.subject",
        ["The email address of your account was changed", "El correo de tu cuenta ha cambiado", "L'indirizzo email del tuo account è cambiato"],
    ),
    (
        "email_changed.intro",
        [
            "On {when} the email address of your account was changed from this address to {new}.",
            "El {when} el correo de tu cuenta cambió de esta dirección a {new}.",
            "Il {when} l'indirizzo email del tuo account è stato cambiato da questo a {new}.",
        ],
    ),
    ("email_changed.action", ["This wasn't me: undo the change", "No he sido yo: deshacer el cambio", "Non sono stato io: annulla la modifica"]),
    (
        "email_changed.how",
        [
            "The link works once, for {days} days. Undoing it restores this address and signs out every device.",
            "El enlace funciona una vez, durante {days} días. Deshacer restaura esta dirección y cierra la sesión en todos los dispositivos.",
            "Il link funziona una volta, per {days} giorni. Annullare ripristina questo indirizzo e chiude la sessione su tutti i dispositivi.",
        ],
    ),
    // After an undo.
    ("email_restored.subject", ["Your email address was restored", "Se ha restaurado tu correo", "Il tuo indirizzo email è stato ripristinato"]),
    (
        "email_restored.intro",
        [
            "The email address of your account is this one again, and every device was signed out. Sign in and consider changing your password.",
            "El correo de tu cuenta vuelve a ser este y se ha cerrado la sesión en todos los dispositivos. Inicia sesión y te recomendamos cambiar tu contraseña.",
            "L'indirizzo email del tuo account è di nuovo questo e la sessione è stata chiusa su tutti i dispositivi. Accedi e valuta di cambiare la password.",
        ],
    ),
    ("password.subject", ["Your password was changed", "Tu contraseña ha cambiado", "La tua password è stata cambiata"]),
    (
        "password.intro",
        [
            "The password of your account was changed on {when}. {ended} other signed-in browsers and devices were signed out.",
            "La contraseña de tu cuenta se cambió el {when}. Se cerró la sesión en {ended} otros navegadores y dispositivos.",
            "La password del tuo account è stata cambiata il {when}. {ended} altri browser e dispositivi collegati sono stati disconnessi.",
        ],
    ),
    // A forgotten password: the link, then the notice once it was reset.
    ("reset_link.subject", ["Reset your password", "Restablece tu contraseña", "Reimposta la tua password"]),
    (
        "reset_link.intro",
        [
            "Someone, hopefully you, asked to reset the password of your account. Your password has not changed.",
            "Alguien, esperamos que tú, ha pedido restablecer la contraseña de tu cuenta. Tu contraseña no ha cambiado.",
            "Qualcuno, speriamo tu, ha chiesto di reimpostare la password del tuo account. La tua password non è cambiata.",
        ],
    ),
    ("reset_link.action", ["Choose a new password", "Elegir una contraseña nueva", "Scegli una nuova password"]),
    (
        "reset_link.how",
        [
            "The link works once, for {minutes} minutes. If you have set up an authenticator app, you will also need a code from it (or one of your recovery codes).",
            "El enlace funciona una sola vez, durante {minutes} minutos. Si has configurado una aplicación de autenticación, también necesitarás un código de ella (o uno de tus códigos de recuperación).",
            "Il link funziona una sola volta, per {minutes} minuti. Se hai configurato un'app di autenticazione, ti servirà anche un suo codice (o uno dei tuoi codici di recupero).",
        ],
    ),
    (
        "reset_link.ignore",
        [
            "Did not ask for this? Ignore this message: nothing changes without the link.",
            "¿No lo has pedido tú? Ignora este mensaje: sin el enlace no cambia nada.",
            "Non sei stato tu? Ignora questo messaggio: senza il link non cambia nulla.",
        ],
    ),
    ("password_reset.subject", ["Your password was reset", "Tu contraseña se ha restablecido", "La tua password è stata reimpostata"]),
    (
        "password_reset.intro",
        [
            "The password of your account was reset with the link we mailed on {when}. {ended} signed-in browsers and devices were signed out.",
            "La contraseña de tu cuenta se restableció con el enlace que te enviamos, el {when}. Se cerró la sesión en {ended} navegadores y dispositivos.",
            "La password del tuo account è stata reimpostata con il link che ti abbiamo inviato, il {when}. {ended} browser e dispositivi collegati sono stati disconnessi.",
        ],
    ),
    (
        "authenticator.subject",
        ["Your authenticator app was replaced", "Se ha sustituido tu aplicación de autenticación", "La tua app di autenticazione è stata sostituita"],
    ),
    (
        "authenticator.intro",
        [
            "On {when} a new authenticator app was set up for your account and new recovery codes were issued; the old app and codes no longer work. {ended} other signed-in browsers and devices were signed out.",
            "El {when} se configuró una nueva aplicación de autenticación para tu cuenta y se emitieron nuevos códigos de recuperación; la aplicación y los códigos anteriores ya no sirven. Se cerró la sesión en {ended} otros navegadores y dispositivos.",
            "Il {when} è stata configurata una nuova app di autenticazione per il tuo account e sono stati emessi nuovi codici di recupero; l'app e i codici precedenti non funzionano più. {ended} altri browser e dispositivi collegati sono stati disconnessi.",
        ],
    ),
    // A recovery code used in place of the authenticator.
    ("recovery.subject", ["A recovery code was used", "Se ha usado un código de recuperación", "È stato usato un codice di recupero"]),
    (
        "recovery.intro",
        [
            "On {when} one of your recovery codes was used in place of your authenticator app. {left} codes are left.",
            "El {when} se usó uno de tus códigos de recuperación en lugar de tu aplicación de autenticación. Te quedan {left}.",
            "Il {when} è stato usato uno dei tuoi codici di recupero al posto dell'app di autenticazione. Ne restano {left}.",
        ],
    ),
    // Field names, as they fit in the sentences above.
    ("field.full_name", ["name", "nombre", "il nome"]),
    ("field.phone", ["phone number", "teléfono", "il numero di telefono"]),
    ("field.preferred_language", ["preferred language", "idioma preferido", "la lingua preferita"]),
    ("field.email", ["email address", "correo electrónico", "l'indirizzo email"]),
    ("field.address", ["postal address", "dirección postal", "l'indirizzo postale"]),
    ("field.date_of_birth", ["date of birth", "fecha de nacimiento", "la data di nascita"]),
    // Requests to the company.
    ("kind.correction", ["correction", "corrección", "correzione"]),
    ("kind.dispute", ["dispute", "reclamación sobre un dato", "contestazione"]),
    ("kind.complaint", ["privacy concern", "consulta de privacidad", "segnalazione sulla privacy"]),
    ("request.action", ["View your request", "Ver tu solicitud", "Vedi la tua richiesta"]),
    ("received.subject", ["We received your request ({kind})", "Hemos recibido tu solicitud ({kind})", "Abbiamo ricevuto la tua richiesta ({kind})"]),
    (
        "received.intro",
        [
            "Thank you: we received your request on {when}. The law gives us until {due} to answer; you will hear from us sooner if we can.",
            "Gracias: hemos recibido tu solicitud el {when}. La ley nos da hasta el {due} para responder; te escribiremos antes si podemos.",
            "Grazie: abbiamo ricevuto la tua richiesta il {when}. La legge ci dà tempo fino al {due} per rispondere; ti scriveremo prima se possibile.",
        ],
    ),
    ("update.subject", ["News about your request ({kind})", "Novedades sobre tu solicitud ({kind})", "Novità sulla tua richiesta ({kind})"]),
    ("update.intro", ["Our support team wrote about your request. Its status is now: {status}.", "Nuestro equipo de soporte ha escrito sobre tu solicitud. Su estado ahora es: {status}.", "Il nostro team di assistenza ha scritto sulla tua richiesta. Il suo stato ora è: {status}."]),
    ("update.message", ["Message", "Mensaje", "Messaggio"]),
    ("extended.subject", ["We need more time for your request", "Necesitamos más tiempo para tu solicitud", "Ci serve più tempo per la tua richiesta"]),
    (
        "extended.intro",
        [
            "Your request is complex, so we have extended the deadline for our answer, as the law allows, to {due}. The reason:",
            "Tu solicitud es compleja, así que hemos ampliado el plazo de respuesta, como permite la ley, hasta el {due}. El motivo:",
            "La tua richiesta è complessa, quindi abbiamo prorogato il termine della risposta, come consente la legge, al {due}. Il motivo:",
        ],
    ),
    ("extended.reason", ["Reason", "Motivo", "Motivo"]),
    ("incident.subject", ["Important: a security incident involving your data", "Importante: un incidente de seguridad que afecta a tus datos", "Importante: un incidente di sicurezza che riguarda i tuoi dati"]),
    (
        "incident.intro",
        [
            "We are writing to tell you about a security incident that may have affected your personal data. We are sorry.",
            "Te escribimos para informarte de un incidente de seguridad que puede haber afectado a tus datos personales. Lo sentimos.",
            "Ti scriviamo per informarti di un incidente di sicurezza che potrebbe aver riguardato i tuoi dati personali. Ci dispiace.",
        ],
    ),
    ("incident.what", ["What happened", "Qué ha pasado", "Cosa è successo"]),
    ("incident.consequences", ["What this may mean for you: {text}", "Qué puede suponer para ti: {text}", "Cosa può significare per te: {text}"]),
    ("incident.measures", ["What we have done: {text}", "Qué hemos hecho: {text}", "Cosa abbiamo fatto: {text}"]),
    ("incident.action", ["Ask us a question", "Haznos una pregunta", "Facci una domanda"]),
    ("incident.contact", ["Our data protection officer answers every question sent through this link.", "Nuestro delegado de protección de datos responde a todas las preguntas enviadas con este enlace.", "Il nostro responsabile della protezione dei dati risponde a ogni domanda inviata con questo link."]),
    ("status.new", ["received", "recibida", "ricevuta"]),
    ("status.in_progress", ["in progress", "en curso", "in lavorazione"]),
    ("status.waiting_customer", ["waiting for you", "pendiente de tu respuesta", "in attesa di una tua risposta"]),
    ("status.done", ["done", "resuelta", "completata"]),
    ("status.rejected", ["rejected", "rechazada", "respinta"]),
    // A material change of the privacy policy.
    ("policy.subject", ["We changed our privacy policy", "Hemos cambiado nuestra política de privacidad", "Abbiamo modificato la nostra informativa sulla privacy"]),
    ("policy.intro", ["We have updated our privacy policy. In short:", "Hemos actualizado nuestra política de privacidad. En resumen:", "Abbiamo aggiornato la nostra informativa sulla privacy. In breve:"]),
    ("policy.summary", ["What changed", "Qué ha cambiado", "Cosa è cambiato"]),
    (
        "policy.asked_again",
        [
            "We reworded what we ask your consent for in: {purposes}. If you had given it, it is paused until you give it again; nothing happens if you do not.",
            "Hemos reformulado para qué pedimos tu consentimiento en: {purposes}. Si lo habías dado, queda en pausa hasta que lo vuelvas a dar; si no lo haces, no pasa nada.",
            "Abbiamo riformulato ciò per cui chiediamo il tuo consenso in: {purposes}. Se lo avevi dato, resta sospeso finché non lo dai di nuovo; se non lo fai, non succede nulla.",
        ],
    ),
    ("policy.action", ["Review your choices", "Revisar tus elecciones", "Rivedi le tue scelte"]),
    // Erasure.
    ("field.erasure", ["deletion of your account and data", "eliminación de tu cuenta y tus datos", "cancellazione del tuo account e dei tuoi dati"]),
    ("erasure_confirm.subject", ["Confirm the deletion of your account and data", "Confirma la eliminación de tu cuenta y tus datos", "Conferma la cancellazione del tuo account e dei tuoi dati"]),
    (
        "erasure_confirm.intro",
        [
            "You asked us to delete your account and your data. Nothing has been deleted yet.",
            "Nos pediste eliminar tu cuenta y tus datos. Todavía no se ha eliminado nada.",
            "Ci hai chiesto di cancellare il tuo account e i tuoi dati. Per ora non è stato cancellato nulla.",
        ],
    ),
    (
        "erasure_confirm.how",
        [
            "The link works for {minutes} minutes and asks for a code from your authenticator app. After you confirm, you have {days} days to change your mind.",
            "El enlace funciona durante {minutes} minutos y pide un código de tu aplicación de autenticación. Después de confirmar, tienes {days} días para cambiar de opinión.",
            "Il link funziona per {minutes} minuti e chiede un codice della tua app di autenticazione. Dopo la conferma hai {days} giorni per ripensarci.",
        ],
    ),
    ("erasure_confirm.action", ["Review and confirm", "Revisar y confirmar", "Controlla e conferma"]),
    ("erasure_scheduled.subject", ["Your account will be deleted on {date}", "Tu cuenta se eliminará el {date}", "Il tuo account sarà cancellato il {date}"]),
    (
        "erasure_scheduled.intro",
        [
            "We will delete your account and your data on {date}. Until then you can cancel with one click after signing in.",
            "Eliminaremos tu cuenta y tus datos el {date}. Hasta entonces puedes cancelarlo con un clic después de iniciar sesión.",
            "Cancelleremo il tuo account e i tuoi dati il {date}. Fino ad allora puoi annullare con un clic dopo aver effettuato l'accesso.",
        ],
    ),
    ("erasure_scheduled.action", ["Cancel the deletion", "Cancelar la eliminación", "Annulla la cancellazione"]),
    ("erasure_reminder.subject", ["Reminder: your account will be deleted on {date}", "Recordatorio: tu cuenta se eliminará el {date}", "Promemoria: il tuo account sarà cancellato il {date}"]),
    ("erasure_cancelled.subject", ["The deletion of your account is cancelled", "Se ha cancelado la eliminación de tu cuenta", "La cancellazione del tuo account è annullata"]),
    ("erasure_cancelled.intro", ["Your account and your data stay as they are.", "Tu cuenta y tus datos se quedan como estaban.", "Il tuo account e i tuoi dati restano come sono."]),
    ("erasure_done.subject", ["Your account and data have been deleted", "Tu cuenta y tus datos se han eliminado", "Il tuo account e i tuoi dati sono stati cancellati"]),
    (
        "erasure_done.intro",
        [
            "As you asked, we deleted your account and your personal data on {date}. This is your receipt; its reference is {reference}.",
            "Como pediste, eliminamos tu cuenta y tus datos personales el {date}. Este es tu justificante; su referencia es {reference}.",
            "Come hai chiesto, abbiamo cancellato il tuo account e i tuoi dati personali il {date}. Questa è la tua ricevuta; il riferimento è {reference}.",
        ],
    ),
    ("erasure_done.erased", ["Deleted", "Eliminado", "Cancellato"]),
    ("erasure_done.kept", ["Kept, as the law requires: {what}, until {date} at the latest. {ground}", "Conservado, como exige la ley: {what}, como máximo hasta el {date}. {ground}", "Conservato, come richiesto dalla legge: {what}, al più tardi fino al {date}. {ground}"]),
    ("erasure_done.recipients", ["We told these recipients to erase what we shared with them: {names}.", "Pedimos a estos destinatarios que borren lo que compartimos con ellos: {names}.", "Abbiamo chiesto a questi destinatari di cancellare ciò che abbiamo condiviso con loro: {names}."]),
    ("erasure_done.last", ["This is the last message you receive from us.", "Este es el último mensaje que recibirás de nosotros.", "Questo è l'ultimo messaggio che riceverai da noi."]),
    // A data export.
    ("export_ready.subject", ["Your data export is ready", "Tu exportación de datos está lista", "La tua esportazione dei dati è pronta"]),
    (
        "export_ready.intro",
        [
            "The copy of your data you asked for on {date} is ready: one ZIP file with everything we hold about you, readable in a browser and in spreadsheets.",
            "La copia de tus datos que pediste el {date} está lista: un archivo ZIP con todo lo que tenemos sobre ti, legible en un navegador y en hojas de cálculo.",
            "La copia dei tuoi dati che hai chiesto il {date} è pronta: un file ZIP con tutto ciò che conserviamo su di te, leggibile in un browser e nei fogli di calcolo.",
        ],
    ),
    ("export_ready.action", ["Download it", "Descargarla", "Scaricala"]),
    (
        "export_ready.how",
        [
            "Sign in and enter a code from your authenticator app to download it. It is deleted on {date}. This mail contains no link to the file itself.",
            "Inicia sesión e introduce un código de tu app de autenticación para descargarla. Se eliminará el {date}. Este correo no contiene ningún enlace al archivo.",
            "Accedi e inserisci un codice della tua app di autenticazione per scaricarla. Sarà cancellata il {date}. Questa email non contiene alcun link al file.",
        ],
    ),

];

fn index(lang: Lang) -> usize {
    match lang {
        Lang::En => 0,
        Lang::Es => 1,
        Lang::It => 2,
    }
}

pub fn text(lang: Lang, key: &str) -> &'static str {
    TEXTS.iter().find(|(k, _)| *k == key).map(|(_, t)| t[index(lang)]).unwrap_or("")
}

/// `text` with its `{slot}`s filled.
pub fn fill(lang: Lang, key: &str, slots: &[(&str, &str)]) -> String {
    let mut s = text(lang, key).to_string();
    for (slot, value) in slots {
        s = s.replace(&format!("{{{slot}}}"), value);
    }
    s
}

/// Italian and Spanish sentences start with the field; capitalise where it opens one.
pub fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_exists_in_every_language() {
        for (key, texts) in TEXTS {
            for t in texts {
                assert!(!t.trim().is_empty(), "{key}");
            }
            // Slots must match across languages, or a translation drops information.
            let slots = |t: &str| {
                let mut v: Vec<String> =
                    t.split('{').skip(1).filter_map(|p| p.split_once('}')).map(|(s, _)| s.to_string()).collect();
                v.sort();
                v
            };
            assert_eq!(slots(texts[0]), slots(texts[1]), "{key} es");
            assert_eq!(slots(texts[0]), slots(texts[2]), "{key} it");
        }
    }
}
