//! XML read back with quick-xml into a tree, strictly: mismatched tags, bad entities, unknown
//! events or duplicate attributes fail the test.

use std::collections::BTreeMap;

#[derive(Debug, Default, Clone)]
pub struct Element {
    pub name: String,
    pub attrs: BTreeMap<String, String>,
    pub children: Vec<Element>,
    pub text: String,
}

impl Element {
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }
    pub fn first(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }
    /// Every descendant called `name`, in document order.
    pub fn descendants(&self, name: &str) -> Vec<&Element> {
        fn find<'a>(el: &'a Element, name: &str, out: &mut Vec<&'a Element>) {
            for c in &el.children {
                if c.name == name {
                    out.push(c);
                }
                find(c, name, out);
            }
        }
        let mut v = Vec::new();
        find(self, name, &mut v);
        v
    }
    pub fn attr(&self, a: &str) -> Option<&str> {
        self.attrs.get(a).map(String::as_str)
    }
    /// The text of every w:t below (WordprocessingML runs).
    pub fn texts(&self) -> String {
        self.descendants("w:t").iter().map(|t| t.text.as_str()).collect()
    }
}

/// The document as a tree under an unnamed node (declarations accepted).
pub fn parse_tree(xml: &str) -> Element {
    use quick_xml::XmlVersion;
    use quick_xml::events::{BytesStart, Event};
    fn element(e: &BytesStart) -> Element {
        let mut el = Element { name: e.name().as_ref().to_owned(), ..Element::default() };
        for a in e.attributes() {
            let a = a.expect("well-formed attribute");
            let value = a.normalized_value(XmlVersion::Implicit1_0).expect("attribute value unescapes");
            assert!(el.attrs.insert(a.key.as_ref().to_owned(), value.into_owned()).is_none(), "duplicate attribute");
        }
        el
    }
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut stack: Vec<Element> = vec![Element::default()];
    loop {
        match reader.read_event().unwrap_or_else(|e| panic!("malformed XML at {}: {e}", reader.error_position())) {
            Event::Start(e) => stack.push(element(&e)),
            Event::Empty(e) => {
                let el = element(&e);
                stack.last_mut().unwrap().children.push(el);
            }
            Event::End(e) => {
                let el = stack.pop().unwrap();
                assert_eq!(el.name, e.name().as_ref());
                stack.last_mut().expect("balanced tags").children.push(el);
            }
            Event::Text(t) => stack.last_mut().unwrap().text.push_str(&t.xml_content(XmlVersion::Implicit1_0)),
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref().expect("valid character reference") {
                    Some(c) => c.to_string(),
                    None => match r.xml_content(XmlVersion::Implicit1_0).as_ref() {
                        "amp" => "&".to_owned(),
                        "lt" => "<".to_owned(),
                        "gt" => ">".to_owned(),
                        "quot" => "\"".to_owned(),
                        "apos" => "'".to_owned(),
                        other => panic!("undefined entity &{other};"),
                    },
                };
                stack.last_mut().unwrap().text.push_str(&c);
            }
            Event::Eof => break,
            Event::Decl(_) => {}
            other => panic!("unexpected XML event {other:?}"),
        }
    }
    let document = stack.pop().unwrap();
    assert!(stack.is_empty(), "unclosed elements");
    document
}
