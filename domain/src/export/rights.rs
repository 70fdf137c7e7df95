//! The rights a customer has over their data (Articles 7(3), 15–22 and 77 GDPR), said in their
//! language, for the manifest and the readable report.

use crate::Lang;

pub struct Right {
    pub article: &'static str,
    pub title: &'static str,
    pub text: &'static str,
}

pub fn rights(lang: Lang) -> Vec<Right> {
    let r = |article, title, text| Right { article, title, text };
    match lang {
        Lang::En => vec![
            r("15", "Access", "You may see all data we hold about you and get a copy: this export."),
            r("16", "Rectification", "You may have wrong or incomplete data corrected, from your privacy portal."),
            r("17", "Erasure", "You may have your account and data deleted; what a law makes us keep is listed with its period."),
            r("18", "Restriction", "You may ask us to stop using data while its accuracy or our use of it is disputed."),
            r("20", "Portability", "You may take data you gave us to another company in this machine-readable form (data.json, CSV)."),
            r("21", "Objection", "You may object to use based on our legitimate interests or for direct marketing."),
            r("7(3)", "Withdrawing consent", "You may withdraw any consent at any time, with one click, as easily as you gave it."),
            r("77", "Complaint", "You may complain to a data protection supervisory authority, in particular in the country where you live or work."),
        ],
        Lang::Es => vec![
            r("15", "Acceso", "Puedes ver todos los datos que tenemos sobre ti y obtener una copia: esta exportación."),
            r("16", "Rectificación", "Puedes hacer corregir datos inexactos o incompletos desde tu portal de privacidad."),
            r("17", "Supresión", "Puedes hacer borrar tu cuenta y tus datos; lo que una ley nos obliga a conservar se indica con su plazo."),
            r("18", "Limitación", "Puedes pedirnos que dejemos de usar datos mientras se discute su exactitud o nuestro uso."),
            r("20", "Portabilidad", "Puedes llevar los datos que nos diste a otra empresa en este formato legible por máquina (data.json, CSV)."),
            r("21", "Oposición", "Puedes oponerte al uso basado en nuestro interés legítimo o con fines de marketing directo."),
            r("7.3", "Retirar el consentimiento", "Puedes retirar cualquier consentimiento en cualquier momento, con un clic, tan fácil como lo diste."),
            r("77", "Reclamación", "Puedes reclamar ante una autoridad de control de protección de datos, en particular la del país donde vives o trabajas."),
        ],
        Lang::It => vec![
            r("15", "Accesso", "Puoi vedere tutti i dati che conserviamo su di te e averne una copia: questa esportazione."),
            r("16", "Rettifica", "Puoi far correggere dati inesatti o incompleti dal tuo portale privacy."),
            r("17", "Cancellazione", "Puoi far cancellare il tuo account e i tuoi dati; ciò che una legge ci obbliga a conservare è indicato con il suo periodo."),
            r("18", "Limitazione", "Puoi chiederci di non usare dati mentre se ne contesta l'esattezza o il nostro uso."),
            r("20", "Portabilità", "Puoi portare i dati che ci hai fornito a un'altra azienda in questo formato leggibile da macchina (data.json, CSV)."),
            r("21", "Opposizione", "Puoi opporti all'uso basato sul nostro legittimo interesse o a fini di marketing diretto."),
            r("7(3)", "Revoca del consenso", "Puoi revocare qualsiasi consenso in ogni momento, con un clic, con la stessa facilità con cui l'hai dato."),
            r("77", "Reclamo", "Puoi proporre reclamo a un'autorità di controllo per la protezione dei dati, in particolare nel paese in cui vivi o lavori."),
        ],
    }
}
