using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Reflection;

namespace CertCmdlets.HelpBuilder
{
    /// <summary>How a parameter binds in one parameter set.</summary>
    internal sealed record ParameterBinding(string SetName, bool Mandatory, int Position, bool ByValue, bool ByPropertyName);

    /// <summary>One cmdlet parameter: reflection facts and its documentation.</summary>
    internal sealed record ParameterHelp(
        string Name,
        Type Type,
        IReadOnlyList<string> Description,
        IReadOnlyList<string> Aliases,
        bool Globbing,
        IReadOnlyList<ParameterBinding> Bindings,
        string DefaultValue)
    {
        /// <summary>True for [switch] parameters (no value in the syntax).</summary>
        public bool IsSwitch => Type == typeof(SwitchParameter);

        /// <summary>How the parameter binds in the set (null when it is not in that set).</summary>
        public ParameterBinding? In(string setName) =>
            Bindings.FirstOrDefault(b => b.SetName == setName) ?? Bindings.FirstOrDefault(b => b.SetName == ParameterAttribute.AllParameterSets);
    }

    /// <summary>One output type from [OutputType], with the parameter sets it is written in.</summary>
    internal sealed record OutputTypeHelp(string TypeName, IReadOnlyList<string> SetNames);

    /// <summary>Everything the MAML help of one cmdlet says.</summary>
    internal sealed record CmdletHelp(
        string Verb,
        string Noun,
        string Synopsis,
        IReadOnlyList<string> Description,
        IReadOnlyList<string> ParameterSets,
        IReadOnlyList<ParameterHelp> Parameters,
        IReadOnlyList<OutputTypeHelp> Outputs,
        bool SupportsShouldProcess)
    {
        /// <summary>The cmdlet name, Verb-Noun.</summary>
        public string Name => Verb + "-" + Noun;

        /// <summary>The examples of help/examples/Verb-Noun.md.</summary>
        public IReadOnlyList<HelpExample> Examples { get; init; } = Array.Empty<HelpExample>();

        /// <summary>Related cmdlets and about_ topics, in the order Get-Help lists them.</summary>
        public IReadOnlyList<string> RelatedLinks { get; init; } = Array.Empty<string>();

        /// <summary>
        /// Reads every public cmdlet class of the assembly, sorted by name. Missing documentation (no synopsis,
        /// a parameter without a description) is added to <paramref name="problems"/>.
        /// </summary>
        public static IReadOnlyList<CmdletHelp> Read(Assembly assembly, XmlDocumentation documentation, List<string> problems)
        {
            List<CmdletHelp> cmdlets = new List<CmdletHelp>();
            foreach (Type type in assembly.GetExportedTypes().Where(t => !t.IsAbstract && typeof(Cmdlet).IsAssignableFrom(t)))
            {
                CmdletAttribute? cmdlet = type.GetCustomAttribute<CmdletAttribute>();
                if (cmdlet is not null)
                {
                    cmdlets.Add(ReadCmdlet(type, cmdlet, documentation, problems));
                }
            }

            return cmdlets.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ToList();
        }

        private static CmdletHelp ReadCmdlet(Type type, CmdletAttribute cmdlet, XmlDocumentation documentation, List<string> problems)
        {
            string name = cmdlet.VerbName + "-" + cmdlet.NounName;
            string synopsis = string.Join(" ", documentation.TypeParagraphs(type, "synopsis"));
            if (synopsis.Length == 0)
            {
                problems.Add($"{name} ({type.FullName}) has no synopsis: add <para type=\"synopsis\"> to the <summary> of the class.");
            }

            // The values a new cmdlet object starts with are the defaults of the parameters that are not given.
            object? instance = type.GetConstructor(Type.EmptyTypes) is null ? null : Activator.CreateInstance(type);
            List<ParameterHelp> parameters = new List<ParameterHelp>();
            foreach (PropertyInfo property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                List<ParameterAttribute> attributes = property.GetCustomAttributes<ParameterAttribute>(inherit: true).ToList();
                if (attributes.Count == 0)
                {
                    continue;
                }

                IReadOnlyList<string> description = documentation.PropertyDescription(property.DeclaringType!, property.Name);
                if (description.Count == 0)
                {
                    problems.Add($"{name} -{property.Name} ({property.DeclaringType!.FullName}.{property.Name}) has no description: add <para type=\"description\"> to the <summary> of the property.");
                }

                parameters.Add(new ParameterHelp(
                    property.Name,
                    property.PropertyType,
                    description,
                    property.GetCustomAttributes<AliasAttribute>(inherit: true).SelectMany(a => a.AliasNames).ToList(),
                    property.GetCustomAttributes<SupportsWildcardsAttribute>(inherit: true).Any(),
                    attributes.Select(a => new ParameterBinding(
                        string.IsNullOrEmpty(a.ParameterSetName) ? ParameterAttribute.AllParameterSets : a.ParameterSetName,
                        a.Mandatory,
                        a.Position,
                        a.ValueFromPipeline,
                        a.ValueFromPipelineByPropertyName)).ToList(),
                    DefaultValue(property, instance, documentation)));
            }

            // Sets as Get-Command lists them: the default first, then the others by name; one unnamed set when none is named.
            // The default set is a set even when no parameter names it (New-CertRequest's Request set holds only the
            // parameters of every set).
            IEnumerable<string> defaultSet = string.IsNullOrEmpty(cmdlet.DefaultParameterSetName) || cmdlet.DefaultParameterSetName == ParameterAttribute.AllParameterSets
                ? Enumerable.Empty<string>()
                : new[] { cmdlet.DefaultParameterSetName };
            List<string> sets = parameters.SelectMany(p => p.Bindings).Select(b => b.SetName)
                .Concat(defaultSet)
                .Where(s => s != ParameterAttribute.AllParameterSets)
                .Distinct(StringComparer.Ordinal)
                .OrderBy(s => s == cmdlet.DefaultParameterSetName ? 0 : 1)
                .ThenBy(s => s, StringComparer.Ordinal)
                .ToList();
            if (sets.Count == 0)
            {
                sets.Add(ParameterAttribute.AllParameterSets);
            }

            List<OutputTypeHelp> outputs = type.GetCustomAttributes<OutputTypeAttribute>(inherit: true)
                .SelectMany(a => a.Type.Select(t => new OutputTypeHelp(
                    t.Type?.FullName ?? t.Name,
                    (a.ParameterSetName ?? Array.Empty<string>()).Where(s => s != ParameterAttribute.AllParameterSets).ToList())))
                .ToList();

            return new CmdletHelp(
                cmdlet.VerbName,
                cmdlet.NounName,
                synopsis,
                documentation.TypeParagraphs(type, "description"),
                sets,
                parameters,
                outputs,
                cmdlet.SupportsShouldProcess);
        }

        /// <summary>
        /// The parameter's default as Get-Help shows it: the &lt;para type="default"&gt; of its doc comment when the
        /// default depends on other things (RSA 2048 for a server, 3072 for a CA), else the value a new cmdlet object
        /// holds (365, Intermediate, key.pem; False for a switch), else None (null, empty, or 0 meaning "not given").
        /// </summary>
        private static string DefaultValue(PropertyInfo property, object? instance, XmlDocumentation documentation)
        {
            string documented = string.Join(" ", documentation.PropertyParagraphs(property.DeclaringType!, property.Name, "default"));
            if (documented.Length > 0)
            {
                return documented;
            }

            if (property.PropertyType == typeof(SwitchParameter))
            {
                return "False";
            }

            object? value = instance is null || !property.CanRead ? null : property.GetValue(instance);
            switch (value)
            {
                case null:
                    return "None";
                case string text:
                    return text.Length == 0 ? "None" : text;
                case Array array:
                    return array.Length == 0 ? "None" : string.Join(", ", array.Cast<object>());
                case System.Security.SecureString:
                    return "None";
                default:
                    Type valueType = value.GetType();
                    bool isZero = valueType.IsValueType && value.Equals(Activator.CreateInstance(valueType));
                    return isZero ? "None" : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "None";
            }
        }
    }
}
