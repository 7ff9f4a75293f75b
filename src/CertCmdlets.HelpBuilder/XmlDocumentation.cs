using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml.Linq;

namespace CertCmdlets.HelpBuilder
{
    /// <summary>
    /// The compiler's XML doc file, read in the XmlDoc2CmdletDoc style: a cmdlet class's &lt;summary&gt; holds
    /// &lt;para type="synopsis"&gt; and &lt;para type="description"&gt;, a parameter property's &lt;summary&gt; holds
    /// &lt;para type="description"&gt; (or plain text).
    /// </summary>
    internal sealed class XmlDocumentation
    {
        private readonly Dictionary<string, XElement> _members;

        private XmlDocumentation(Dictionary<string, XElement> members)
        {
            _members = members;
        }

        /// <summary>Reads the doc file (member name to member element).</summary>
        public static XmlDocumentation Load(string path)
        {
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"The XML doc file {path} does not exist (is GenerateDocumentationFile on for the module?).", path);
            }

            XDocument document = XDocument.Load(path);
            Dictionary<string, XElement> members = new Dictionary<string, XElement>(StringComparer.Ordinal);
            foreach (XElement member in document.Root?.Element("members")?.Elements("member") ?? Enumerable.Empty<XElement>())
            {
                string? name = (string?)member.Attribute("name");
                if (name is not null)
                {
                    members[name] = member;
                }
            }

            return new XmlDocumentation(members);
        }

        /// <summary>The texts of the &lt;para type="<paramref name="kind"/>"&gt; of a type's summary.</summary>
        public IReadOnlyList<string> TypeParagraphs(Type type, string kind) =>
            Paragraphs("T:" + type.FullName, kind, fallBackToSummary: false);

        /// <summary>
        /// A parameter property's description paragraphs: its &lt;para type="description"&gt;, or the whole
        /// summary text when it has none.
        /// </summary>
        public IReadOnlyList<string> PropertyDescription(Type declaringType, string propertyName) =>
            Paragraphs("P:" + declaringType.FullName + "." + propertyName, "description", fallBackToSummary: true);

        /// <summary>The texts of the &lt;para type="<paramref name="kind"/>"&gt; of a property's summary (e.g. "default").</summary>
        public IReadOnlyList<string> PropertyParagraphs(Type declaringType, string propertyName, string kind) =>
            Paragraphs("P:" + declaringType.FullName + "." + propertyName, kind, fallBackToSummary: false);

        private IReadOnlyList<string> Paragraphs(string memberName, string kind, bool fallBackToSummary)
        {
            XElement? summary = _members.TryGetValue(memberName, out XElement? member) ? member.Element("summary") : null;
            if (summary is null)
            {
                return Array.Empty<string>();
            }

            List<string> paragraphs = summary.Elements("para")
                .Where(p => string.Equals((string?)p.Attribute("type"), kind, StringComparison.Ordinal))
                .Select(Text)
                .Where(t => t.Length > 0)
                .ToList();
            if (paragraphs.Count == 0 && fallBackToSummary)
            {
                string text = Text(summary);
                if (text.Length > 0)
                {
                    paragraphs.Add(text);
                }
            }

            return paragraphs;
        }

        /// <summary>An element's text, white space collapsed; &lt;see cref&gt; becomes the member's short name.</summary>
        private static string Text(XElement element)
        {
            StringBuilder builder = new StringBuilder();
            Append(builder, element);
            return string.Join(" ", builder.ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        }

        private static void Append(StringBuilder builder, XElement element)
        {
            foreach (XNode node in element.Nodes())
            {
                switch (node)
                {
                    case XText text:
                        builder.Append(text.Value);
                        break;
                    case XElement child when child.Name.LocalName is "see" or "seealso" or "paramref" or "typeparamref" && !child.Nodes().Any():
                        string reference = (string?)child.Attribute("cref") ?? (string?)child.Attribute("name") ?? (string?)child.Attribute("langword") ?? (string?)child.Attribute("href") ?? string.Empty;
                        int colon = reference.IndexOf(':');
                        reference = colon == 1 ? reference.Substring(2) : reference;
                        int dot = reference.LastIndexOf('.');
                        builder.Append(dot >= 0 && !reference.Contains('/') ? reference.Substring(dot + 1) : reference);
                        break;
                    case XElement child when child.Name.LocalName is "para" or "list" or "item" or "code":
                        builder.Append(' ');
                        Append(builder, child);
                        builder.Append(' ');
                        break;
                    case XElement child:
                        Append(builder, child);
                        break;
                }
            }
        }
    }
}
