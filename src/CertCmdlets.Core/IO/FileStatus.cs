namespace CertCmdlets.Core.IO
{
    /// <summary>What kind of file system object a path names.</summary>
    internal enum FileKind
    {
        Regular,
        Directory,
        SymbolicLink,
        Fifo,
        CharacterDevice,
        BlockDevice,
        Socket,
        Other,
    }

    /// <summary>
    /// The few facts of a Unix stat the module needs: kind, permission bits, owner, group, size and identity
    /// (device and inode, to tell whether two names are one file).
    /// </summary>
    internal sealed class FileStatus
    {
        public FileStatus(FileKind kind, int permissions, uint ownerId, uint groupId, long length, ulong device, ulong inode)
        {
            Kind = kind;
            Permissions = permissions;
            OwnerId = ownerId;
            GroupId = groupId;
            Length = length;
            Device = device;
            Inode = inode;
        }

        public FileKind Kind { get; }

        /// <summary>The permission bits (mode &amp; 07777).</summary>
        public int Permissions { get; }

        public uint OwnerId { get; }

        public uint GroupId { get; }

        public long Length { get; }

        public ulong Device { get; }

        public ulong Inode { get; }

        /// <summary>"device:inode", the identity a journal records.</summary>
        public string Identity => Device.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":" + Inode.ToString(System.Globalization.CultureInfo.InvariantCulture);

        public bool IsSameFile(FileStatus other) => Device == other.Device && Inode == other.Inode;

        /// <summary>The kind from the S_IFMT bits of a mode (the same values on Linux and macOS).</summary>
        public static FileKind KindOf(int mode) => (mode & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0xA000 => FileKind.SymbolicLink,
            0x1000 => FileKind.Fifo,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            0xC000 => FileKind.Socket,
            _ => FileKind.Other,
        };

        /// <summary>The kind in user words, for error messages.</summary>
        public static string Describe(FileKind kind) => kind switch
        {
            FileKind.Regular => "a regular file",
            FileKind.Directory => "a directory",
            FileKind.SymbolicLink => "a symbolic link",
            FileKind.Fifo => "a named pipe (FIFO)",
            FileKind.CharacterDevice => "a character device",
            FileKind.BlockDevice => "a block device",
            FileKind.Socket => "a socket",
            _ => "not a regular file",
        };
    }
}
