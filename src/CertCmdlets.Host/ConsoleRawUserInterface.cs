using System;
using System.IO;
using System.Management.Automation.Host;

namespace CertCmdlets.Host
{
    /// <summary>
    /// The raw console of <see cref="ConsoleHost"/>: mostly a window size for the formatter (the width of the
    /// terminal when standard output is one, 120 columns otherwise). The other members keep what they are set to
    /// and never throw; the host does not draw on a screen buffer.
    /// </summary>
    public sealed class ConsoleRawUserInterface : PSHostRawUserInterface
    {
        /// <summary>The width used when standard output is not a terminal.</summary>
        public const int RedirectedWidth = 120;

        private const int RedirectedHeight = 50;

        private readonly bool _outputIsTerminal = !Console.IsOutputRedirected;
        private readonly bool _inputIsTerminal = !Console.IsInputRedirected;
        private Coordinates _cursorPosition;
        private Coordinates _windowPosition;
        private int _cursorSize = 25;
        private string _windowTitle = "CertCmdlets.Host";

        /// <summary>Gets or sets the foreground color the host writes in by default (kept, not applied to the terminal).</summary>
        public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;

        /// <summary>Gets or sets the background color the host writes in by default (kept, not applied to the terminal).</summary>
        public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;

        /// <summary>Gets or sets the cursor position (kept; the terminal is not queried).</summary>
        public override Coordinates CursorPosition
        {
            get => _cursorPosition;
            set => _cursorPosition = value;
        }

        /// <summary>Gets or sets the window position (kept).</summary>
        public override Coordinates WindowPosition
        {
            get => _windowPosition;
            set => _windowPosition = value;
        }

        /// <summary>Gets or sets the cursor size (kept).</summary>
        public override int CursorSize
        {
            get => _cursorSize;
            set => _cursorSize = value;
        }

        /// <summary>
        /// Gets the buffer size: the terminal's width when standard output is a terminal, otherwise
        /// <see cref="RedirectedWidth"/>. Setting it is ignored.
        /// </summary>
        public override Size BufferSize
        {
            get => CurrentSize();
            set
            {
            }
        }

        /// <summary>Gets the window size (the same as <see cref="BufferSize"/>). Setting it is ignored.</summary>
        public override Size WindowSize
        {
            get => CurrentSize();
            set
            {
            }
        }

        /// <summary>Gets the largest window size: the current one.</summary>
        public override Size MaxWindowSize => CurrentSize();

        /// <summary>Gets the largest physical window size: the current one.</summary>
        public override Size MaxPhysicalWindowSize => CurrentSize();

        /// <summary>Gets a value indicating whether a key press is waiting (always false when input is redirected).</summary>
        public override bool KeyAvailable
        {
            get
            {
                if (!_inputIsTerminal)
                {
                    return false;
                }

                try
                {
                    return Console.KeyAvailable;
                }
                catch (InvalidOperationException)
                {
                    return false;
                }
                catch (IOException)
                {
                    return false;
                }
            }
        }

        /// <summary>Gets or sets the window title (kept, not applied to the terminal).</summary>
        public override string WindowTitle
        {
            get => _windowTitle;
            set => _windowTitle = value ?? string.Empty;
        }

        /// <summary>Does nothing.</summary>
        public override void FlushInputBuffer()
        {
        }

        /// <summary>
        /// Reads a key: from the terminal when standard input is one, otherwise the next character of standard
        /// input (a NUL character at its end).
        /// </summary>
        /// <param name="options">Whether to echo the key (<see cref="ReadKeyOptions.NoEcho"/>).</param>
        /// <returns>The key.</returns>
        public override KeyInfo ReadKey(ReadKeyOptions options)
        {
            if (_inputIsTerminal)
            {
                ConsoleKeyInfo key = Console.ReadKey((options & ReadKeyOptions.NoEcho) != 0);
                return new KeyInfo((int)key.Key, key.KeyChar, ToControlKeyStates(key.Modifiers), keyDown: true);
            }

            int c = Console.In.Read();
            char ch = c < 0 ? '\0' : (char)c;
            return new KeyInfo(0, ch, 0, keyDown: true);
        }

        /// <summary>Returns blank cells: the host keeps no screen buffer.</summary>
        /// <param name="rectangle">The region asked for.</param>
        /// <returns>A blank array of the region's size.</returns>
        public override BufferCell[,] GetBufferContents(Rectangle rectangle)
        {
            int rows = Math.Max(0, rectangle.Bottom - rectangle.Top + 1);
            int columns = Math.Max(0, rectangle.Right - rectangle.Left + 1);
            var cells = new BufferCell[rows, columns];
            for (int row = 0; row < rows; row++)
            {
                for (int column = 0; column < columns; column++)
                {
                    cells[row, column] = new BufferCell(' ', ForegroundColor, BackgroundColor, BufferCellType.Complete);
                }
            }

            return cells;
        }

        /// <summary>Does nothing: the host keeps no screen buffer.</summary>
        /// <param name="source">Ignored.</param>
        /// <param name="destination">Ignored.</param>
        /// <param name="clip">Ignored.</param>
        /// <param name="fill">Ignored.</param>
        public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill)
        {
        }

        /// <summary>Does nothing: the host keeps no screen buffer.</summary>
        /// <param name="origin">Ignored.</param>
        /// <param name="contents">Ignored.</param>
        public override void SetBufferContents(Coordinates origin, BufferCell[,] contents)
        {
        }

        /// <summary>Does nothing: the host keeps no screen buffer.</summary>
        /// <param name="rectangle">Ignored.</param>
        /// <param name="fill">Ignored.</param>
        public override void SetBufferContents(Rectangle rectangle, BufferCell fill)
        {
        }

        private Size CurrentSize()
        {
            if (_outputIsTerminal)
            {
                try
                {
                    int width = Console.WindowWidth;
                    int height = Console.WindowHeight;
                    if (width > 0)
                    {
                        return new Size(width, height > 0 ? height : RedirectedHeight);
                    }
                }
                catch (IOException)
                {
                    // No usable terminal after all: fall back to the fixed size.
                }
                catch (PlatformNotSupportedException)
                {
                    // Likewise.
                }
            }

            return new Size(RedirectedWidth, RedirectedHeight);
        }

        private static ControlKeyStates ToControlKeyStates(ConsoleModifiers modifiers)
        {
            ControlKeyStates states = 0;
            if ((modifiers & ConsoleModifiers.Shift) != 0)
            {
                states |= ControlKeyStates.ShiftPressed;
            }

            if ((modifiers & ConsoleModifiers.Control) != 0)
            {
                states |= ControlKeyStates.LeftCtrlPressed;
            }

            if ((modifiers & ConsoleModifiers.Alt) != 0)
            {
                states |= ControlKeyStates.LeftAltPressed;
            }

            return states;
        }
    }
}
