package seed

import (
	"fmt"

	"gorm.io/gorm"

	"github.com/tdkt/tdkt/learning"
	"github.com/tdkt/tdkt/models"
)

// TargetsPlan names the targets for 2025 of the letter 09/CV-HKH (2
// February 2024) on plan 151/KH-UBND, the plan the movement's figures are
// read against (../shared/reference/plan-151-KH-UBND-2024.txt).
const TargetsPlan = "09/CV-HKH"

// LearningTargets are the plan's targets for 2025, for every level.
func LearningTargets() []models.LearningTarget {
	src := "Công văn 09/CV-HKH ngày 02/02/2024 của Hội Khuyến học tỉnh Bình Dương triển khai Kế hoạch 151/KH-UBND: chỉ tiêu phấn đấu đến năm 2025"
	var out []models.LearningTarget
	for _, t := range []struct {
		code string
		pct  float64
	}{
		{"gia-dinh-hoc-tap", 70}, {"cong-dong-hoc-tap", 65}, {"don-vi-hoc-tap", 80}, {"cong-dan-lao-dong", 40},
		{"cong-dan-cbccvc", 60}, {"trung-tam-cntt", 70}, {"xa-xep-loai-tot", 90}, {"huyen-hoc-tap", 25},
	} {
		out = append(out, models.LearningTarget{Plan: TargetsPlan, Indicator: t.code, Year: 2025, Percent: t.pct, Source: src})
	}
	return out
}

// seedLearningTargets fills an empty targets table; once there, the rows
// are the administrators'.
func seedLearningTargets(tx *gorm.DB) error {
	var n int64
	if err := tx.Model(&models.LearningTarget{}).Count(&n).Error; err != nil {
		return fmt.Errorf("seed learning targets: %w", err)
	}
	if n > 0 {
		return nil
	}
	rows := LearningTargets()
	if err := tx.Create(&rows).Error; err != nil {
		return fmt.Errorf("seed learning targets: %w", err)
	}
	return nil
}

// demoLearning is a small register for the demo: Phường Dĩ An's and Xã Bàu
// Bàng's 2025, so that the dashboard has figures to show. Each commune
// records its counts and recognises part of its households, khu phố and
// bodies; the numbers are made up, the arithmetic is the real one.
type demoCommune struct {
	name                                   string
	households, recognised, areas, areasOK int
	rating                                 string
}

var demoCommunes = []demoCommune{
	{"Phường Dĩ An", 40, 30, 8, 6, learning.RatingGood},
	{"Xã Bàu Bàng", 30, 18, 6, 3, learning.RatingFair},
}

func insertDemoLearning(tx *gorm.DB) error {
	var n int64
	if err := tx.Model(&models.LearningHolder{}).Count(&n).Error; err != nil || n > 0 {
		return err
	}
	for _, c := range demoCommunes {
		unit := NewCommuneID(c.name)
		add := func(h models.LearningHolder, title learning.Title, qualifier, rating string) error {
			h.UnitID, h.SinceYear, h.CreatedBy = unit, 2020, "seed"
			if err := tx.Create(&h).Error; err != nil {
				return err
			}
			r := models.LearningRecognition{ID: "r-" + h.ID, HolderID: h.ID, Title: string(title), Year: 2025, UnitID: unit, Area: h.Area,
				Rating: rating, Qualifier: qualifier, Status: learning.Recognised, Evidence: "[]", CreatedBy: "seed"}
			if err := tx.Create(&r).Error; err != nil {
				return err
			}
			return models.AddToTally(tx, unit, 2025, learning.Key(title, qualifier), 1)
		}
		for i := range c.recognised {
			area := fmt.Sprintf("Khu phố %d", i%c.areas+1)
			if err := add(models.LearningHolder{ID: fmt.Sprintf("%s-ho-%02d", unit, i+1), Kind: string(learning.Household),
				Name: fmt.Sprintf("Hộ gia đình số %d, %s", i+1, area), HeadName: fmt.Sprintf("Chủ hộ số %d", i+1), Area: area},
				learning.Family, "", ""); err != nil {
				return fmt.Errorf("demo register: %w", err)
			}
		}
		for i := range c.areasOK {
			if err := add(models.LearningHolder{ID: fmt.Sprintf("%s-kp-%02d", unit, i+1), Kind: string(learning.Area),
				Name: fmt.Sprintf("Khu phố %d", i+1)}, learning.Community, "", ""); err != nil {
				return fmt.Errorf("demo register: %w", err)
			}
		}
		if err := add(models.LearningHolder{ID: unit + "-xa", Kind: string(learning.Commune), Name: c.name},
			learning.CommuneCommunity, c.rating, c.rating); err != nil {
			return fmt.Errorf("demo register: %w", err)
		}
		for _, m := range []struct {
			code  learning.Measure
			value int
		}{{learning.Households, c.households}, {learning.Communities, c.areas}} {
			row := models.LearningCount{UnitID: unit, Year: 2025, Measure: string(m.code), Value: int64(m.value),
				Source: "Dữ liệu mẫu (tdkt dev)", RecordedOn: date("2025-12-15"), RecordedBy: "seed"}
			if err := tx.Create(&row).Error; err != nil {
				return fmt.Errorf("demo counts: %w", err)
			}
		}
	}
	return nil
}
