#include "theme.h"

#include <string.h>

#define C(hex) {(Uint8)((hex) >> 16), (Uint8)((hex) >> 8), (Uint8)(hex), 255}

static const Theme THEMES[THEME_COUNT] = {
    {.name = "light", .title = "Light",
     .bg = C(0xF6F7F9), .sidebar = C(0xECEFF3), .surface = C(0xFFFFFF), .surface_alt = C(0xF1F3F6),
     .border = C(0xD5DAE1), .text = C(0x1D2433), .muted = C(0x5A6475), .accent = C(0x2F5FD0),
     .accent_text = C(0xFFFFFF), .accent_soft = C(0xE3EBFB), .focus = C(0xE08A00), .link = C(0x2450B8),
     .code_bg = C(0xEAF1EC), .code_text = C(0x1F5E3A), .success = C(0x1E7A44), .success_soft = C(0xE3F4E9),
     .danger = C(0xB3261E), .danger_soft = C(0xFBE7E5), .tip_bg = C(0xE8F1FD), .warn_bg = C(0xFDF2DC),
     .guide_bg = C(0xEEEAF8)},
    {.name = "dark", .title = "Dark",
     .bg = C(0x15181E), .sidebar = C(0x1B1F27), .surface = C(0x21262F), .surface_alt = C(0x2A303B),
     .border = C(0x3A4250), .text = C(0xE6E9EF), .muted = C(0xA3ABB9), .accent = C(0x6C9CFF),
     .accent_text = C(0x0D1426), .accent_soft = C(0x2A3A5C), .focus = C(0xFFB84D), .link = C(0x8DB4FF),
     .code_bg = C(0x22392C), .code_text = C(0x9FE0B4), .success = C(0x5CC98A), .success_soft = C(0x1F3A2A),
     .danger = C(0xFF8A80), .danger_soft = C(0x4A2422), .tip_bg = C(0x1F2E45), .warn_bg = C(0x3D3220),
     .guide_bg = C(0x2E2842)},
    {.name = "contrast", .title = "High contrast",
     .bg = C(0x000000), .sidebar = C(0x000000), .surface = C(0x000000), .surface_alt = C(0x1A1A1A),
     .border = C(0xFFFFFF), .text = C(0xFFFFFF), .muted = C(0xE0E0E0), .accent = C(0xFFE500),
     .accent_text = C(0x000000), .accent_soft = C(0x333000), .focus = C(0x00E5FF), .link = C(0x7FDBFF),
     .code_bg = C(0x003300), .code_text = C(0x9CFF9C), .success = C(0x5CFF8A), .success_soft = C(0x003315),
     .danger = C(0xFF6E6E), .danger_soft = C(0x400000), .tip_bg = C(0x001A33), .warn_bg = C(0x332600),
     .guide_bg = C(0x1F0033)},
};

const Theme *theme_get(ThemeId id)
{
    return &THEMES[(unsigned)id < THEME_COUNT ? id : THEME_LIGHT];
}

int theme_from_name(const char *name, ThemeId *out)
{
    for (int i = 0; i < THEME_COUNT; i++)
        if (strcmp(name, THEMES[i].name) == 0) {
            *out = (ThemeId)i;
            return 0;
        }
    return -1;
}
