// The one config schema: types, defaults, bounds and docs of every key.
// The TypeScript type is derived from it and config/traycheck.schema.json is generated from it.
import { Type, type Static } from '@sinclair/typebox';
import { CamerasSection } from './sections/camera.js';
import { DashboardSection } from './sections/dashboard.js';
import { DetectorSection } from './sections/detector.js';
import { MenuSection, ModifiersSection, OrdersSection } from './sections/menu.js';
import { MqttSection } from './sections/mqtt.js';
import { LoggingSection, StorageSection } from './sections/storage.js';
import { StoreSection } from './sections/store.js';
import { TeachSection } from './sections/teach.js';
import { TraySection, VerifySection } from './sections/tray.js';

export const ConfigSchema = Type.Object(
  {
    store: StoreSection,
    cameras: CamerasSection,
    detector: DetectorSection,
    tray: TraySection,
    verify: VerifySection,
    mqtt: MqttSection,
    menu: MenuSection,
    modifiers: ModifiersSection,
    orders: OrdersSection,
    dashboard: DashboardSection,
    storage: StorageSection,
    logging: LoggingSection,
    teach: TeachSection,
  },
  {
    additionalProperties: false,
    $id: 'https://traycheck.local/schema/config.json',
    title: 'traycheck configuration',
  },
);

export type Config = Static<typeof ConfigSchema>;
export type CameraConfig = Config['cameras'][number];
export type DetectorConfig = Config['detector'];
export type TrayConfig = Config['tray'];
export type VerifyConfig = Config['verify'];
export type MqttConfig = Config['mqtt'];
export type Menu = Config['menu'];
export type MenuItemConfig = Menu[string];
export type Modifiers = Config['modifiers'];
export type OrdersConfig = Config['orders'];
export type DashboardConfig = Config['dashboard'];
export type StorageConfig = Config['storage'];
export type TeachConfig = Config['teach'];
