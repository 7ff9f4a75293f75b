using System.Management.Automation;

namespace CertCmdlets
{
    /// <summary>
    /// Runs when the module is imported or removed: installs the resolver that serves the module's own
    /// dependencies (the core and BouncyCastle) from module/Dependencies, isolated from other modules.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        /// <summary>Called by PowerShell when the module is imported.</summary>
        public void OnImport()
        {
            DependencyResolver.Register();
        }

        /// <summary>Called by PowerShell when the module is removed.</summary>
        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            DependencyResolver.Unregister();
        }
    }
}
