using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;

namespace CertCmdlets
{
    /// <summary>
    /// Loads CertCmdlets.Core and BouncyCastle from module/Dependencies so that another module carrying a
    /// different BouncyCastle (Posh-ACME, Az.KeyVault) in the same session breaks neither.
    /// On PowerShell 7 they load into a private AssemblyLoadContext, created by reflection because this
    /// assembly targets netstandard2.0. The default context is only ever served CertCmdlets.Core, never
    /// BouncyCastle; inside the private context our BouncyCastle is loaded before the core first binds to
    /// it, so a copy already in the default context is never picked. On Windows PowerShell 5.1 there is no
    /// load context: the assemblies are served by LoadFrom through AppDomain.AssemblyResolve.
    /// The state here is per process by nature: a .NET process loads this assembly once, whatever the
    /// number of runspaces, so the resolver is installed once and shared.
    /// </summary>
    internal static class DependencyResolver
    {
        private const string CoreAssemblyName = "CertCmdlets.Core";
        private const string ModelAssemblyName = "CertCmdlets.Model";
        private const string BouncyCastleAssemblyName = "BouncyCastle.Cryptography";

        private static readonly object s_lock = new object();
        private static readonly string s_moduleDirectory = Path.GetDirectoryName(typeof(DependencyResolver).Assembly.Location) ?? ".";
        private static readonly string s_dependencyDirectory = Path.Combine(s_moduleDirectory, "Dependencies");

        private static bool s_registered;
        private static Delegate? s_defaultContextHandler;
        private static object? s_privateContext;
        private static MethodInfo? s_loadFromAssemblyPath;

        /// <summary>True on PowerShell 7 (.NET), false on Windows PowerShell 5.1 (.NET Framework).</summary>
        private static bool IsCoreClr => !RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

        public static void Register()
        {
            lock (s_lock)
            {
                if (s_registered)
                {
                    return;
                }

                if (IsCoreClr)
                {
                    Type contextType = LoadContextType();
                    object defaultContext = contextType.GetProperty("Default")!.GetValue(null)!;
                    EventInfo resolving = contextType.GetEvent("Resolving")!;
                    s_defaultContextHandler ??= Delegate.CreateDelegate(
                        resolving.EventHandlerType!,
                        typeof(DependencyResolver).GetMethod(nameof(ResolveForDefaultContext), BindingFlags.NonPublic | BindingFlags.Static)!);
                    resolving.AddEventHandler(defaultContext, s_defaultContextHandler);
                }
                else
                {
                    AppDomain.CurrentDomain.AssemblyResolve += ResolveForAppDomain;
                }

                s_registered = true;
            }
        }

        public static void Unregister()
        {
            lock (s_lock)
            {
                if (!s_registered)
                {
                    return;
                }

                if (IsCoreClr)
                {
                    Type contextType = LoadContextType();
                    object defaultContext = contextType.GetProperty("Default")!.GetValue(null)!;
                    contextType.GetEvent("Resolving")!.RemoveEventHandler(defaultContext, s_defaultContextHandler);
                }
                else
                {
                    AppDomain.CurrentDomain.AssemblyResolve -= ResolveForAppDomain;
                }

                s_registered = false;
            }
        }

        private static Type LoadContextType() =>
            typeof(object).Assembly.GetType("System.Runtime.Loader.AssemblyLoadContext", throwOnError: true)!;

        /// <summary>
        /// Default-context Resolving handler: serves the public model from the module folder into the default context
        /// (where PowerShell's type resolution finds it, and where the core's private context finds it too), and the
        /// core from module/Dependencies into the private context. Nothing else.
        /// </summary>
        private static Assembly? ResolveForDefaultContext(object context, AssemblyName name)
        {
            if (string.Equals(name.Name, ModelAssemblyName, StringComparison.Ordinal))
            {
                string modelPath = Path.Combine(s_moduleDirectory, ModelAssemblyName + ".dll");
                if (!File.Exists(modelPath))
                {
                    return null;
                }

                lock (s_lock)
                {
                    s_loadFromAssemblyPath ??= LoadContextType().GetMethod("LoadFromAssemblyPath", new[] { typeof(string) })!;
                    return LoadInto(context, modelPath);
                }
            }

            if (!string.Equals(name.Name, CoreAssemblyName, StringComparison.Ordinal))
            {
                return null;
            }

            lock (s_lock)
            {
                object privateContext = PrivateContext();
                return LoadInto(privateContext, Path.Combine(s_dependencyDirectory, CoreAssemblyName + ".dll"));
            }
        }

        /// <summary>Private-context Resolving handler: any further dependency shipped in module/Dependencies.</summary>
        private static Assembly? ResolveForPrivateContext(object context, AssemblyName name)
        {
            string path = Path.Combine(s_dependencyDirectory, name.Name + ".dll");
            if (!File.Exists(path))
            {
                return null;
            }

            lock (s_lock)
            {
                return LoadInto(context, path);
            }
        }

        private static object PrivateContext()
        {
            if (s_privateContext is not null)
            {
                return s_privateContext;
            }

            Type contextType = LoadContextType();
            object privateContext = Activator.CreateInstance(contextType, "CertCmdlets", false)!;
            s_loadFromAssemblyPath = contextType.GetMethod("LoadFromAssemblyPath", new[] { typeof(string) })!;
            EventInfo resolving = contextType.GetEvent("Resolving")!;
            resolving.AddEventHandler(privateContext, Delegate.CreateDelegate(
                resolving.EventHandlerType!,
                typeof(DependencyResolver).GetMethod(nameof(ResolveForPrivateContext), BindingFlags.NonPublic | BindingFlags.Static)!));

            // A context looks in its own loaded assemblies before the default context. Loading our BouncyCastle
            // now, before the core's first use of it, means a different copy in the default context never wins.
            LoadInto(privateContext, Path.Combine(s_dependencyDirectory, BouncyCastleAssemblyName + ".dll"));
            s_privateContext = privateContext;
            return privateContext;
        }

        private static Assembly LoadInto(object context, string path) =>
            (Assembly)s_loadFromAssemblyPath!.Invoke(context, new object[] { path })!;

        /// <summary>Windows PowerShell 5.1: serve the model (from the module folder), the core and, to the core, BouncyCastle.</summary>
        private static Assembly? ResolveForAppDomain(object? sender, ResolveEventArgs args)
        {
            string? simpleName = new AssemblyName(args.Name).Name;
            if (string.Equals(simpleName, ModelAssemblyName, StringComparison.Ordinal))
            {
                string modelPath = Path.Combine(s_moduleDirectory, ModelAssemblyName + ".dll");
                return File.Exists(modelPath) ? Assembly.LoadFrom(modelPath) : null;
            }

            bool ours = string.Equals(simpleName, CoreAssemblyName, StringComparison.Ordinal)
                || (string.Equals(simpleName, BouncyCastleAssemblyName, StringComparison.Ordinal)
                    && (args.RequestingAssembly is null || string.Equals(args.RequestingAssembly.GetName().Name, CoreAssemblyName, StringComparison.Ordinal)));
            if (!ours)
            {
                return null;
            }

            string path = Path.Combine(s_dependencyDirectory, simpleName + ".dll");
            return File.Exists(path) ? Assembly.LoadFrom(path) : null;
        }
    }
}
